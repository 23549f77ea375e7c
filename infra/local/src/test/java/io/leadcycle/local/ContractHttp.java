package io.leadcycle.local;

import io.leadcycle.testing.OpenApiContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * How the local server's HTTP tests send a request to an API route: over real HTTP, and then held to
 * docs/openapi.yaml ({@link OpenApiContract}): the answer always, the request unless it was refused.
 */
public final class ContractHttp {

  private ContractHttp() {
  }

  /** Sends {@code request}, whose body is {@code body} (null for none), and checks the exchange. */
  public static HttpResponse<String> send(HttpClient client, HttpRequest request, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
    URI uri = request.uri();
    String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    OpenApiContract.check(request.method(), pathAndQuery, request.headers().map(), body, response.statusCode(),
        response.headers().map(), response.body());
    return response;
  }
}
