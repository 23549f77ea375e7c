package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/openapi.yaml is the route reference: it must describe exactly the routes template.yaml declares,
 * with the same authorization, and be a well-formed OpenAPI 3.1 document (ids, summaries, success
 * answers, resolvable references).
 */
class OpenApiDocumentTest {

  private static final Path TEMPLATE = Path.of("../../template.yaml");
  private static final Path OPENAPI = Path.of("../../docs/openapi.yaml");
  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
      "trace");
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

  /** One operation: {@code GET /v1/leads}. */
  record Operation(String method, String path) implements Comparable<Operation> {

    @Override
    public String toString() {
      return method + " " + path;
    }

    @Override
    public int compareTo(Operation other) {
      return toString().compareTo(other.toString());
    }
  }

  private static Map<String, Object> document;
  /** The template's HttpApi routes; the value says whether the route is public ({@code Authorizer: NONE}). */
  private static Map<Operation, Boolean> declared;
  /** The document's operations, in document order. */
  private static Map<Operation, Map<String, Object>> documented;

  @BeforeAll
  static void load() throws IOException {
    document = new Yaml().load(Files.readString(OPENAPI));
    declared = templateRoutes();
    documented = documentedOperations();
  }

  @SuppressWarnings("unchecked")
  private static Map<Operation, Boolean> templateRoutes() throws IOException {
    // CloudFormation's short-form tags (!Ref, !If ...) are irrelevant here; drop them so plain YAML parses.
    String text = Files.readString(TEMPLATE).replaceAll("!(Ref|Sub|GetAtt|GetAZs|If|Not|Equals|And|Or|Condition|Join|Select|Split|FindInMap|Base64|Cidr|ImportValue)\\b", "");
    Map<String, Object> template = new Yaml().load(text);
    Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
    Map<Operation, Boolean> routes = new LinkedHashMap<>();
    resources.values().forEach(value -> {
      Map<String, Object> resource = (Map<String, Object>) value;
      if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
        return;
      }
      Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
      Map<String, Object> events = (Map<String, Object>) properties.getOrDefault("Events", Map.of());
      events.values().forEach(e -> {
        Map<String, Object> event = (Map<String, Object>) e;
        if (!"HttpApi".equals(event.get("Type"))) {
          return;
        }
        Map<String, Object> props = (Map<String, Object>) event.get("Properties");
        Map<String, Object> auth = (Map<String, Object>) props.get("Auth");
        boolean open = auth != null && "NONE".equals(auth.get("Authorizer"));
        // API Gateway's greedy {proxy+} is {proxy} in OpenAPI, whose path parameters are plain names.
        String path = ((String) props.get("Path")).replace("+}", "}");
        routes.put(new Operation(String.valueOf(props.get("Method")).toUpperCase(), path), open);
      });
    });
    return routes;
  }

  @SuppressWarnings("unchecked")
  private static Map<Operation, Map<String, Object>> documentedOperations() {
    Map<String, Object> paths = (Map<String, Object>) document.get("paths");
    assertThat(paths).as("docs/openapi.yaml has paths").isNotEmpty();
    Map<Operation, Map<String, Object>> operations = new LinkedHashMap<>();
    paths.forEach((path, item) -> ((Map<String, Object>) item).forEach((key, operation) -> {
      if (HTTP_METHODS.contains(key)) {
        operations.put(new Operation(key.toUpperCase(), path), (Map<String, Object>) operation);
      }
    }));
    return operations;
  }

  @Test
  void everyRouteOfTheTemplateIsDocumented() {
    Set<Operation> missing = new TreeSet<>(declared.keySet());
    missing.removeAll(documented.keySet());
    assertThat(missing)
        .as("routes template.yaml declares as HttpApi events but docs/openapi.yaml does not document")
        .isEmpty();
  }

  @Test
  void everyDocumentedOperationIsARouteOfTheTemplate() {
    Set<Operation> extra = new TreeSet<>(documented.keySet());
    extra.removeAll(declared.keySet());
    assertThat(extra)
        .as("operations docs/openapi.yaml documents but template.yaml does not declare as HttpApi events")
        .isEmpty();
  }

  @Test
  void isAnOpenApi31Document() {
    assertThat(String.valueOf(document.get("openapi"))).as("openapi version").matches("3\\.1\\.\\d+");
    assertThat(document).containsKeys("info", "servers", "paths", "components");
  }

  /**
   * A structural check by an independent OpenAPI 3 parser (swagger-parser, the one the tests' contract
   * validator uses): any message it has about the document fails the build. Redocly's lint is the
   * second opinion in .ci/run.
   */
  @Test
  void swaggerParserReadsTheDocumentWithoutAMessage() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setValidateInternalRefs(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readLocation(OPENAPI.toUri().toString(), null, options);
    assertThat(result.getMessages()).as("swagger-parser's messages about docs/openapi.yaml").isEmpty();
    assertThat(result.getOpenAPI()).isNotNull();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyOperationHasAUniqueIdASummaryATagAndASuccessAnswer() {
    Map<String, Operation> byId = new HashMap<>();
    documented.forEach((operation, body) -> {
      Object id = body.get("operationId");
      assertThat(id).as(operation + " operationId").isInstanceOf(String.class);
      assertThat((String) id).as(operation + " operationId").isNotBlank();
      Operation earlier = byId.put((String) id, operation);
      assertThat(earlier).as("operationId " + id + " of " + operation + " is also used by " + earlier).isNull();
      assertThat(body.get("summary")).as(operation + " summary").isInstanceOf(String.class);
      assertThat((String) body.get("summary")).as(operation + " summary").isNotBlank();
      assertThat((List<Object>) body.get("tags")).as(operation + " tags").isNotEmpty();
      Map<Object, Object> responses = (Map<Object, Object>) body.get("responses");
      assertThat(responses).as(operation + " responses").isNotNull();
      assertThat(responses.keySet()).as(operation + " has a 2xx response")
          .anySatisfy(code -> assertThat(String.valueOf(code)).matches("2\\d\\d"));
    });
  }

  @Test
  void everyReferenceResolvesToAComponent() {
    List<String> references = new ArrayList<>();
    collectReferences(document, references);
    assertThat(references).isNotEmpty();
    for (String reference : references) {
      assertThat(reference).as("$ref " + reference + " points into this document's components")
          .startsWith("#/components/");
      assertThat(resolve(reference)).as("$ref " + reference + " resolves").isNotNull();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void publicRoutesOptOutOfSecurityAndManagementRoutesDoNot() {
    List<Map<String, Object>> global = (List<Map<String, Object>>) document.get("security");
    assertThat(global).as("global security requirement (the management bearer token)").isNotEmpty();
    Map<String, Object> schemes = (Map<String, Object>) ((Map<String, Object>) document.get("components"))
        .get("securitySchemes");
    assertThat(schemes).as("components.securitySchemes").isNotEmpty();
    global.forEach(requirement -> assertThat(schemes).as("security schemes").containsKeys(
        requirement.keySet().toArray(String[]::new)));

    documented.forEach((operation, body) -> {
      boolean open = declared.getOrDefault(operation, false);
      Object security = body.get("security");
      if (open) {
        assertThat(security).as(operation + " is public in template.yaml (Authorizer: NONE): security: []")
            .isEqualTo(List.of());
      } else {
        assertThat(security == null || !((List<Object>) security).isEmpty())
            .as(operation + " is a management route: it must not override security to []")
            .isTrue();
        if (security != null) {
          ((List<Map<String, Object>>) security).forEach(requirement -> assertThat(schemes)
              .as(operation + " security schemes").containsKeys(requirement.keySet().toArray(String[]::new)));
        }
      }
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyPathParameterIsDeclaredAndRequired() {
    documented.forEach((operation, body) -> {
      Set<String> declaredInPath = new TreeSet<>();
      Matcher m = PATH_PARAMETER.matcher(operation.path());
      while (m.find()) {
        declaredInPath.add(m.group(1));
      }
      Set<String> described = new TreeSet<>();
      List<Object> parameters = new ArrayList<>();
      Map<String, Object> pathItem = (Map<String, Object>) ((Map<String, Object>) document.get("paths"))
          .get(operation.path());
      parameters.addAll((List<Object>) pathItem.getOrDefault("parameters", List.of()));
      parameters.addAll((List<Object>) body.getOrDefault("parameters", List.of()));
      for (Object raw : parameters) {
        Map<String, Object> parameter = (Map<String, Object>) dereference(raw);
        if ("path".equals(parameter.get("in"))) {
          assertThat(parameter.get("required")).as(operation + " path parameter " + parameter.get("name") + " required")
              .isEqualTo(true);
          assertThat(parameter).as(operation + " path parameter " + parameter.get("name") + " schema")
              .containsKey("schema");
          described.add((String) parameter.get("name"));
        }
      }
      assertThat(described).as(operation + " path parameters").isEqualTo(declaredInPath);
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void errorAnswersAreProblemDetails() {
    documented.forEach((operation, body) -> ((Map<Object, Object>) body.get("responses")).forEach((code, raw) -> {
      if (!String.valueOf(code).matches("[45]\\d\\d")) {
        return;
      }
      Map<String, Object> response = (Map<String, Object>) dereference(raw);
      Map<String, Object> content = (Map<String, Object>) response.get("content");
      assertThat(content).as(operation + " " + code + " content").isNotNull();
      assertThat(content.keySet()).as(operation + " " + code + " content types")
          .containsExactly("application/problem+json");
    }));
  }

  @SuppressWarnings("unchecked")
  private static void collectReferences(Object node, List<String> references) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> {
        if ("$ref".equals(key)) {
          references.add(String.valueOf(value));
        } else {
          collectReferences(value, references);
        }
      });
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collectReferences(item, references));
    }
  }

  /** The node a local JSON pointer reference ({@code #/components/schemas/Lead}) names, or null. */
  private static Object resolve(String reference) {
    if (!reference.startsWith("#/")) {
      return null;
    }
    Object node = document;
    for (String token : reference.substring(2).split("/", -1)) {
      String key = token.replace("~1", "/").replace("~0", "~");
      if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
        return null;
      }
      node = map.get(key);
    }
    return node;
  }

  /** {@code node}, or what its {@code $ref} (chain) points at. */
  private static Object dereference(Object node) {
    int hops = 0;
    while (node instanceof Map<?, ?> map && map.containsKey("$ref")) {
      String reference = String.valueOf(map.get("$ref"));
      node = resolve(reference);
      assertThat(node).as("$ref " + reference + " resolves").isNotNull();
      assertThat(++hops).as("$ref chain through " + reference).isLessThan(10);
    }
    return node;
  }
}
