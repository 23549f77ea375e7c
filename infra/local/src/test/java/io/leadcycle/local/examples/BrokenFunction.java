package io.leadcycle.local.examples;

import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.http.Route;
import java.util.List;
import java.util.Map;

/** An HTTP function whose answer no HTTP server can write (status -1): a failure of the host, not of the function. */
public final class BrokenFunction extends HttpFunction {

  @Override
  protected List<Route> defineRoutes() {
    return List.of(new Route("GET", "/examples/broken", Access.PUBLIC,
        request -> new HttpResponse(-1, Map.of("content-type", "application/json"), "{}")));
  }
}
