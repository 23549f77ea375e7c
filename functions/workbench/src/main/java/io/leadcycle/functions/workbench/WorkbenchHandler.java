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
 *
 * <p>With a sign-in ({@link SignIn}: {@code SIGN_IN_BASE_URL} and {@code SIGN_IN_CLIENT_ID}, which the
 * template sets when the created user pool's hosted pages know the workbench), {@code config.json} tells the
 * page where to sign in, and the page's policy lets it call that token endpoint.
 */
public final class WorkbenchHandler extends HttpFunction {

  private final WorkbenchFiles files;
  private final WorkbenchFiles.Asset config;
  private final String contentSecurityPolicy;

  /** The constructor Lambda calls: the function's environment names the sign-in, if any. */
  public WorkbenchHandler() {
    this(System.getenv());
  }

  /** With this environment instead of the process's (the local server passes its own; tests theirs). */
  public WorkbenchHandler(Map<String, String> env) {
    this(WorkbenchFiles.bundled(), SignIn.fromEnvironment(env));
  }

  /** Tests bring their own files; no sign-in. */
  public WorkbenchHandler(WorkbenchFiles files) {
    this(files, null);
  }

  /** These files, and the sign-in {@code signIn} (null: none, the page asks for a pasted token). */
  public WorkbenchHandler(WorkbenchFiles files, SignIn signIn) {
    this.files = files;
    this.config = WorkbenchFiles.config(signIn);
    this.contentSecurityPolicy = WorkbenchFiles.contentSecurityPolicy(signIn);
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
   * {@code /workbench/index.html} is the page; {@code /workbench/config.json} what the page is told about
   * its sign-in; {@code /workbench/assets/<version>/<file>} a file of the manifest. Anything else is a 404.
   */
  private HttpResponse file(HttpRequest request) {
    String path = request.pathParameter("proxy");
    if (path == null || path.isEmpty() || path.equals("/") || path.equals("index.html")) {
      return answer(files.page(), request);
    }
    if (path.equals(WorkbenchFiles.CONFIG)) {
      return answer(config, request);
    }
    WorkbenchFiles.Asset asset = files.asset(path);
    if (asset == null) {
      throw new NotFound("The workbench has no file " + WorkbenchFiles.shorten(path)
          + "; open /workbench/ for the page.");
    }
    return answer(asset, request);
  }

  /** The file, or {@code 304} when the client's {@code If-None-Match} names its entity tag. */
  private HttpResponse answer(WorkbenchFiles.Asset asset, HttpRequest request) {
    Map<String, String> headers = WorkbenchFiles.headers(asset, contentSecurityPolicy);
    if (WorkbenchFiles.matches(request.header("if-none-match"), asset.etag())) {
      return new HttpResponse(304, headers, null);
    }
    return new HttpResponse(200, headers, asset.text());
  }
}
