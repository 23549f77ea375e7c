package io.leadcycle.local.examples;

import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.http.Route;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** An HTTP function: answers its path parameter. */
public final class EchoFunction extends HttpFunction {

  @Override
  protected List<Route> defineRoutes() {
    return List.of(new Route("GET", "/examples/echo/{word}", Access.MANAGEMENT,
        request -> HttpResponse.json(200, new JsonObject().put("word", request.pathParameter("word")))));
  }
}
