package io.leadcycle.functions.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.HandlerCalls;
import io.leadcycle.testing.HttpEvents;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The workbench's static files through the handler, with events as API Gateway sends them: the page and
 * its versioned assets with their content types, cache and security headers, 304 by entity tag, and
 * nothing outside the manifest, whatever the path; {@code config.json} and the policy with and without a
 * sign-in.
 */
class WorkbenchHandlerTest {

  private static final WorkbenchHandler HANDLER = new WorkbenchHandler();
  private static final WorkbenchFiles FILES = WorkbenchFiles.bundled();
  private static final Path RESOURCES = Path.of("src/main/resources/workbench");

  private static APIGatewayV2HTTPResponse get(String routeKey, String rawPath, String proxy, String ifNoneMatch) {
    return get(HANDLER, routeKey, rawPath, proxy, ifNoneMatch);
  }

  private static APIGatewayV2HTTPResponse get(WorkbenchHandler handler, String routeKey, String rawPath, String proxy,
      String ifNoneMatch) {
    HttpEvents event = HttpEvents.request(routeKey, rawPath);
    if (proxy != null) {
      event.pathParameter("proxy", proxy);
    }
    if (ifNoneMatch != null) {
      event.header("If-None-Match", ifNoneMatch);
    }
    return HandlerCalls.answer(handler, event.build());
  }

  private static APIGatewayV2HTTPResponse file(WorkbenchHandler handler, String proxy) {
    return get(handler, "GET /workbench/{proxy+}", "/workbench/" + proxy, proxy, null);
  }

  private static final String DOMAIN = "https://leadcycle-123456789012.auth.eu-west-1.amazoncognito.com";

  private static WorkbenchHandler signingIn(String baseUrl, String clientId) {
    return new WorkbenchHandler(Map.of(SignIn.BASE_URL_VARIABLE, baseUrl, SignIn.CLIENT_ID_VARIABLE, clientId));
  }

  @Test
  void withoutASignInTheConfigSaysSoAndThePageTalksOnlyToItsOwnOrigin() {
    for (WorkbenchHandler handler : List.of(HANDLER, new WorkbenchHandler(Map.of()),
        signingIn(" ", ""), new WorkbenchHandler(Map.of("DATABASE_URL", "postgresql://x/y")))) {
      APIGatewayV2HTTPResponse config = file(handler, "config.json");
      assertThat(config.getStatusCode()).isEqualTo(200);
      assertThat(new JsonObject(config.getBody())).isEqualTo(new JsonObject().putNull("signIn"));
      assertThat(config.getHeaders()).containsEntry("content-type", "application/json; charset=utf-8")
          .containsEntry("cache-control", "no-cache").containsEntry("x-content-type-options", "nosniff");
      assertThat(file(handler, "index.html").getHeaders().get("content-security-policy"))
          .contains("connect-src 'self';").isEqualTo(WorkbenchFiles.CONTENT_SECURITY_POLICY);
    }
  }

  @Test
  void withASignInTheConfigNamesItsEndpointsAndThePageMayCallOnlyItsTokenEndpointBesides() {
    WorkbenchHandler handler = signingIn(DOMAIN + "/", "4example5client6id");
    APIGatewayV2HTTPResponse config = file(handler, "config.json");

    assertThat(new JsonObject(config.getBody())).isEqualTo(new JsonObject().put("signIn", new JsonObject()
        .put("authorizeUrl", DOMAIN + "/oauth2/authorize").put("tokenUrl", DOMAIN + "/oauth2/token")
        .put("clientId", "4example5client6id").put("logoutUrl", DOMAIN + "/logout")));
    assertThat(config.getHeaders()).containsEntry("cache-control", "no-cache");
    String version = WorkbenchFiles.bundled().version();
    for (APIGatewayV2HTTPResponse response : List.of(config, file(handler, "index.html"),
        get(handler, "GET /workbench", "/workbench", null, null), file(handler, "assets/" + version + "/app.js"))) {
      String csp = response.getHeaders().get("content-security-policy");
      assertThat(csp).contains("connect-src 'self' " + DOMAIN + ";", "form-action 'self'", "default-src 'self';",
          "script-src 'self';").doesNotContain("unsafe");
    }
    // The config is revalidated by its entity tag, as the page is.
    String etag = config.getHeaders().get("etag");
    assertThat(get(handler, "GET /workbench/{proxy+}", "/workbench/config.json", "config.json", etag).getStatusCode())
        .isEqualTo(304);
    // On loopback (the browser test's stand-in for the hosted pages) http is fine; the origin is normalised.
    assertThat(new JsonObject(file(signingIn("http://127.0.0.1:4567", "abc"), "config.json").getBody())
        .getJsonObject("signIn").getString("tokenUrl")).isEqualTo("http://127.0.0.1:4567/oauth2/token");
    assertThat(file(signingIn("HTTPS://Leadcycle-1.Auth.eu-west-1.amazoncognito.com", "abc"), "index.html").getHeaders()
        .get("content-security-policy")).contains("connect-src 'self' https://leadcycle-1.auth.eu-west-1.amazoncognito.com;");
  }

  @Test
  void aHalfSetOrMalformedSignInIsRefusedWhenTheFunctionStarts() {
    for (Map<String, String> env : List.of(Map.of(SignIn.BASE_URL_VARIABLE, DOMAIN),
        Map.of(SignIn.CLIENT_ID_VARIABLE, "abc"),
        Map.of(SignIn.BASE_URL_VARIABLE, "http://leadcycle.auth.eu-west-1.amazoncognito.com", SignIn.CLIENT_ID_VARIABLE, "abc"),
        Map.of(SignIn.BASE_URL_VARIABLE, DOMAIN + "/oauth2", SignIn.CLIENT_ID_VARIABLE, "abc"),
        Map.of(SignIn.BASE_URL_VARIABLE, DOMAIN + "?x=1", SignIn.CLIENT_ID_VARIABLE, "abc"),
        Map.of(SignIn.BASE_URL_VARIABLE, "https://user@leadcycle.example.com", SignIn.CLIENT_ID_VARIABLE, "abc"),
        Map.of(SignIn.BASE_URL_VARIABLE, "https://a.example.com; script-src *", SignIn.CLIENT_ID_VARIABLE, "abc"),
        Map.of(SignIn.BASE_URL_VARIABLE, "leadcycle-1", SignIn.CLIENT_ID_VARIABLE, "abc"),
        Map.of(SignIn.BASE_URL_VARIABLE, DOMAIN, SignIn.CLIENT_ID_VARIABLE, "abc\"; x"))) {
      Assertions.assertThatThrownBy(() -> new WorkbenchHandler(env)).as(env.toString())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("SIGN_IN_");
    }
  }

  private static APIGatewayV2HTTPResponse file(String proxy) {
    return get("GET /workbench/{proxy+}", "/workbench/" + proxy, proxy, null);
  }

  @Test
  void thePageIsServedWithoutCachingAndNamesItsAssetsByVersion() {
    APIGatewayV2HTTPResponse page = get("GET /workbench", "/workbench", null, null);

    assertThat(page.getStatusCode()).isEqualTo(200);
    assertThat(page.getHeaders()).containsEntry("content-type", "text/html; charset=utf-8")
        .containsEntry("cache-control", "no-cache");
    assertThat(page.getBody()).contains("/workbench/assets/" + FILES.version() + "/app.js")
        .doesNotContain("{{VERSION}}");
    assertThat(page.getIsBase64Encoded()).isFalse();
    assertThat(file("index.html").getBody()).isEqualTo(page.getBody());
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    for (APIGatewayV2HTTPResponse response : List.of(get("GET /workbench", "/workbench", null, null),
        file("assets/" + FILES.version() + "/app.js"))) {
      String csp = response.getHeaders().get("content-security-policy");
      assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
          "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'")
          .doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(response.getHeaders()).containsEntry("x-content-type-options", "nosniff")
          .containsEntry("referrer-policy", "no-referrer");
    }
  }

  @Test
  void assetsHaveTheirContentTypeAndAreImmutableUnderTheirVersion() {
    String prefix = "assets/" + FILES.version() + "/";
    assertThat(file(prefix + "app.js").getHeaders()).containsEntry("content-type", "text/javascript; charset=utf-8")
        .containsEntry("cache-control", "public, max-age=31536000, immutable");
    assertThat(file(prefix + "workbench.css").getHeaders()).containsEntry("content-type", "text/css; charset=utf-8");
    assertThat(file(prefix + "icon.svg").getHeaders()).containsEntry("content-type", "image/svg+xml; charset=utf-8");
    // A page loaded before a deploy asks for the old version: it gets today's file, not cached for long.
    APIGatewayV2HTTPResponse old = file("assets/0123abcd/app.js");
    assertThat(old.getStatusCode()).isEqualTo(200);
    assertThat(old.getHeaders()).containsEntry("cache-control", "no-cache");
  }

  @Test
  void anEntityTagTheClientHasIsAnswered304() {
    APIGatewayV2HTTPResponse first = get("GET /workbench", "/workbench", null, null);
    String etag = first.getHeaders().get("etag");
    assertThat(etag).matches("\"[0-9a-f]{32}\"");

    APIGatewayV2HTTPResponse again = get("GET /workbench", "/workbench", null, etag);
    assertThat(again.getStatusCode()).isEqualTo(304);
    assertThat(again.getBody()).isNull();
    assertThat(again.getHeaders()).containsEntry("etag", etag).containsKey("content-security-policy");
    assertThat(get("GET /workbench", "/workbench", null, "\"other\", W/" + etag).getStatusCode()).isEqualTo(304);
    assertThat(get("GET /workbench", "/workbench", null, "\"other\"").getStatusCode()).isEqualTo(200);
  }

  @Test
  void nothingOutsideTheManifestIsServed() {
    String v = FILES.version();
    for (String path : List.of("../../pom.xml", "assets/" + v + "/../../../etc/passwd", "assets/" + v + "/nope.js",
        "assets/" + v + "/", "assets/" + v + "/app.js/x", "assets/../index.html", "assets/" + v + "/%2e%2e",
        "WEB-INF/web.xml", "io/leadcycle/functions/workbench/WorkbenchHandler.class", "assets/" + v + "/index.html",
        "app.js", "assets/V1/app.js", "assets/" + v + "/APP.JS", "template.yaml", "assets//app.js")) {
      APIGatewayV2HTTPResponse response = file(path);
      assertThat(response.getStatusCode()).as(path).isEqualTo(404);
      assertThat(HandlerCalls.contentType(response)).as(path).isEqualTo("application/problem+json");
      assertThat(new JsonObject(response.getBody()).getInteger("status")).isEqualTo(404);
    }
  }

  @Test
  void theManifestListsExactlyTheFilesOfThePage() throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(RESOURCES)) {
      list.forEach(p -> files.add(p.getFileName().toString()));
    }
    Set<String> expected = new TreeSet<>(WorkbenchFiles.MANIFEST);
    expected.add("index.html");
    assertThat(files).isEqualTo(expected);
  }

  /** Every module import names a file of the manifest, so no page load meets a 404. */
  @Test
  void everyImportOfAModuleIsInTheManifest() throws IOException {
    Pattern imports = Pattern.compile("from '\\./([^']+)'");
    for (String name : WorkbenchFiles.MANIFEST) {
      if (!name.endsWith(".js")) {
        continue;
      }
      Matcher m = imports.matcher(Files.readString(RESOURCES.resolve(name)));
      while (m.find()) {
        assertThat(WorkbenchFiles.MANIFEST).as("import in " + name).contains(m.group(1));
      }
    }
  }

  /** Values are rendered as text: no script writes markup, and the page has no inline script or style. */
  @Test
  void noScriptWritesMarkupAndThePageHasNothingInline() throws IOException {
    for (String name : WorkbenchFiles.MANIFEST) {
      if (name.endsWith(".js")) {
        assertThat(Files.readString(RESOURCES.resolve(name))).as(name)
            .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function");
      }
    }
    String page = Files.readString(RESOURCES.resolve("index.html"));
    assertThat(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("<style", " style=", "onclick", "onload");
  }
}
