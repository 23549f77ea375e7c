package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The local server and AWS must serve the same API: every route a hosted handler defines is an HttpApi
 * event of the function with that handler class in template.yaml, with the same authorization, and
 * every HttpApi function in the template is hosted locally.
 */
class TemplateMatchesLocalServerTest {

  private static final Path TEMPLATE = Path.of("../../template.yaml");

  /** A route as the template declares it: method, path and whether the JWT authorizer guards it. */
  record DeclaredRoute(String method, String path, boolean management) {
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> template() throws IOException {
    // CloudFormation's short-form tags (!Ref, !If ...) are irrelevant here; drop them so plain YAML parses.
    String text = Files.readString(TEMPLATE).replaceAll("!(Ref|Sub|GetAtt|If|Not|Equals|Join|Select|Split)\\b", "");
    return new Yaml().load(text);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Set<DeclaredRoute>> routesByHandler() throws IOException {
    Map<String, Object> resources = (Map<String, Object>) template().get("Resources");
    Map<String, Set<DeclaredRoute>> byHandler = new HashMap<>();
    resources.forEach((name, value) -> {
      Map<String, Object> resource = (Map<String, Object>) value;
      if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
        return;
      }
      Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
      String handler = ((String) properties.get("Handler")).replace("::handleRequest", "");
      Set<DeclaredRoute> routes = new HashSet<>();
      Map<String, Object> events = (Map<String, Object>) properties.getOrDefault("Events", Map.of());
      events.values().forEach(e -> {
        Map<String, Object> event = (Map<String, Object>) e;
        if (!"HttpApi".equals(event.get("Type"))) {
          return;
        }
        Map<String, Object> props = (Map<String, Object>) event.get("Properties");
        Map<String, Object> auth = (Map<String, Object>) props.get("Auth");
        boolean open = auth != null && "NONE".equals(auth.get("Authorizer"));
        assertThat(props.get("PayloadFormatVersion")).as(name + " payload format").isEqualTo("2.0");
        routes.add(new DeclaredRoute((String) props.get("Method"), (String) props.get("Path"), !open));
      });
      byHandler.put(handler, routes);
    });
    return byHandler;
  }

  @Test
  void everyHostedRouteIsDeclaredWithTheSameHandlerAndAuthorization() throws IOException {
    Map<String, Set<DeclaredRoute>> declared = routesByHandler();
    for (HttpFunction function : LocalServer.instantiateHandlers()) {
      Set<DeclaredRoute> hosted = new HashSet<>();
      for (Route route : function.routes()) {
        hosted.add(new DeclaredRoute(route.method(), route.path(), route.access() == Access.MANAGEMENT));
      }
      assertThat(declared).as("template.yaml has a function with handler " + function.getClass().getName())
          .containsKey(function.getClass().getName());
      assertThat(declared.get(function.getClass().getName())).containsExactlyInAnyOrderElementsOf(hosted);
    }
  }

  @Test
  void everyHttpFunctionOfTheTemplateIsHostedLocally() throws IOException {
    routesByHandler().forEach((handler, routes) -> {
      if (!routes.isEmpty()) {
        assertThat(LocalServer.HANDLER_CLASSES).contains(handler);
      }
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void functionsRunOnJava21AndPointAtTheShadedJarOfTheirModule() throws IOException {
    Map<String, Object> template = template();
    Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.get("Globals")).get("Function");
    assertThat(globals.get("Runtime")).isEqualTo("java21");
    Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
    List<String> codeUris = resources.values().stream()
        .map(r -> (Map<String, Object>) r)
        .filter(r -> "AWS::Serverless::Function".equals(r.get("Type")))
        .map(r -> (String) ((Map<String, Object>) r.get("Properties")).get("CodeUri"))
        .toList();
    assertThat(codeUris).isNotEmpty().allSatisfy(uri -> {
      assertThat(uri).matches("functions/([a-z-]+)/target/\\1\\.jar");
      String module = uri.substring(0, uri.indexOf("/target/"));
      assertThat(Path.of("../..", module, "pom.xml")).exists();
    });
  }
}
