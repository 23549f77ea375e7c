package io.leadcycle.functions.workbench;

import io.leadcycle.domain.NotFound;
import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.http.Route;
import java.util.List;
import java.util.Map;

/**
 * The lead workbench: serves the web page that telemarketing and sales work in (HTML, CSS and plain ES
 * modules packed into this jar, docs/workbench.md). The page itself needs no credentials; it calls the same
 * HTTP API with the user's bearer token. Only the files of a fixed manifest ({@link WorkbenchFiles}) are
 * served, so no path can reach anything else; every answer carries the page's Content-Security-Policy
 * and the other security headers. Never touches the database.
 */
public final class WorkbenchHandler extends HttpFunction {

  private final WorkbenchFiles files;

  /** The constructor Lambda calls. */
  public WorkbenchHandler() {
    this(WorkbenchFiles.bundled());
  }

  /** Tests bring their own files. */
  public WorkbenchHandler(WorkbenchFiles files) {
    this.files = files;
  }

  @Override
  protected List<Route> defineRoutes() {
    return List.of(
        new Route("GET", "/workbench", Access.PUBLIC, this::page),
        new Route("GET", "/workbench/{proxy+}", Access.PUBLIC, this::file));
  }

  /** {@code /workbench} (and {@code /workbench/} where the host routes it here): the page. */
  private HttpResponse page(HttpRequest request) {
    return answer(files.page(), request);
  }

  /**
   * {@code /workbench/index.html} is the page; {@code /workbench/assets/<version>/<file>} a file of the
   * manifest. Anything else is a 404.
   */
  private HttpResponse file(HttpRequest request) {
    String path = request.pathParameter("proxy");
    if (path == null || path.isEmpty() || path.equals("/") || path.equals("index.html")) {
      return answer(files.page(), request);
    }
    WorkbenchFiles.Asset asset = files.asset(path);
    if (asset == null) {
      throw new NotFound("The workbench has no file " + WorkbenchFiles.shorten(path)
          + "; open /workbench/ for the page.");
    }
    return answer(asset, request);
  }

  /** The file, or {@code 304} when the client's {@code If-None-Match} names its entity tag. */
  private static HttpResponse answer(WorkbenchFiles.Asset asset, HttpRequest request) {
    Map<String, String> headers = WorkbenchFiles.headers(asset);
    if (WorkbenchFiles.matches(request.header("if-none-match"), asset.etag())) {
      return new HttpResponse(304, headers, null);
    }
    return new HttpResponse(200, headers, asset.text());
  }
}
