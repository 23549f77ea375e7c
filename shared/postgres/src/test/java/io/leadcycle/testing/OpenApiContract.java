package io.leadcycle.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * Holds every HTTP test to the route reference, docs/openapi.yaml: what a test sends and what it gets
 * back must be what the document describes, so the document cannot drift from the server again.
 *
 * <p>A request that a test sends on purpose to be refused (the answer is a 4xx) is not held to the
 * document, only its answer is: the problem must be one the operation lists. A request the server
 * accepts must be one the document allows, and its answer one the document describes.
 */
public final class OpenApiContract {

  private static final Path DOCUMENT = locate();
  private static volatile OpenApiInteractionValidator validator;

  private OpenApiContract() {
  }

  /** docs/openapi.yaml, found from the module a test runs in (shared/x, functions/x, infra/x). */
  private static Path locate() {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null) {
      Path candidate = directory.resolve("docs/openapi.yaml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      directory = directory.getParent();
    }
    throw new IllegalStateException("docs/openapi.yaml not found above " + Path.of("").toAbsolutePath());
  }

  public static Path document() {
    return DOCUMENT;
  }

  private static OpenApiInteractionValidator validator() {
    if (validator == null) {
      synchronized (OpenApiContract.class) {
        if (validator == null) {
          SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(asOpenApi30(), null, parseOptions());
          if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
            throw new IllegalStateException("docs/openapi.yaml does not parse: " + parsed.getMessages());
          }
          untyped(parsed.getOpenAPI().getComponents().getSchemas().values(), new HashSet<>());
          validator = OpenApiInteractionValidator.createFor(parsed.getOpenAPI())
              .withLevelResolver(LevelResolver.create()
                  // In AWS the HTTP API's authorizer checks the token before a function runs; handler
                  // tests call the function behind it, the local server's tests send the token.
                  .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                  .build())
              .build();
        }
      }
    }
    return validator;
  }

  /** Marks a schema of several types, whose type the 3.0 form cannot say. */
  private static final String ANY_TYPE = "x-leadcycle-any-type";

  /**
   * Takes the type off the schemas of several types: resolving the document fully makes a schema
   * without a type an object. Those few members (a submission's field values, a rule's value) are not
   * checked for their type.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void untyped(Collection<Schema> schemas, Set<Schema> seen) {
    for (Schema schema : schemas) {
      if (schema == null || !seen.add(schema)) {
        continue;
      }
      if (schema.getExtensions() != null && schema.getExtensions().containsKey(ANY_TYPE)) {
        schema.setType(null);
      }
      List<Schema> parts = new ArrayList<>();
      if (schema.getProperties() != null) {
        parts.addAll(schema.getProperties().values());
      }
      if (schema.getItems() != null) {
        parts.add(schema.getItems());
      }
      if (schema.getAdditionalProperties() instanceof Schema additional) {
        parts.add(additional);
      }
      for (List<Schema> list : new List[] {schema.getAllOf(), schema.getAnyOf(), schema.getOneOf()}) {
        if (list != null) {
          parts.addAll(list);
        }
      }
      untyped(parts, seen);
    }
  }

  /** How the validator reads the document: resolved fully, each allOf merged into one schema. */
  private static ParseOptions parseOptions() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    // allOf merged into one schema: a part alone would refuse the other parts' members.
    options.setResolveCombinators(true);

    return options;
  }

  /**
   * The document in OpenAPI 3.0's words. The validator checks bodies with a JSON Schema draft-4
   * validator, which does not know 3.1's {@code type: [string, 'null']} or {@code const} and would
   * silently let any value through; said as 3.0's {@code nullable} and {@code enum}, they are checked.
   * (3.1's {@code if}/{@code then} and {@code propertyNames} have no 3.0 form and are not checked here.)
   */
  static String asOpenApi30() {
    try {
      Map<String, Object> document = new Yaml().load(Files.readString(DOCUMENT));
      document.put("openapi", "3.0.3");
      document.remove("webhooks");
      ((Map<?, ?>) document.get("info")).remove("summary");
      return new JsonObject(downgrade(document)).encode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T downgrade(T node) {
    if (node instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(item -> copy.add(downgrade(item)));
      return (T) copy;
    }
    if (node instanceof Date date) {
      return (T) date.toInstant().toString();
    }
    if (!(node instanceof Map<?, ?> map)) {
      return node;
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(String.valueOf(key), downgrade(value)));
    if (copy.get("type") instanceof List<?> types) {
      List<Object> rest = new ArrayList<>(types);
      boolean nullable = rest.remove("null");
      if (rest.size() == 1) {
        copy.put("type", rest.get(0));
        if (nullable) {
          copy.put("nullable", true);
        }
      } else {
        // Several types: 3.0 has no list of them, and the validator reads a schema of one of several
        // (anyOf) or of none as an object; these few members (a submission's field values, a rule's
        // value) go unchecked for their type here.
        copy.remove("type");
        copy.put(ANY_TYPE, true);
      }
    }
    if (copy.containsKey("const")) {
      Object value = copy.remove("const");
      List<Object> values = new ArrayList<>();
      values.add(value);
      copy.put("enum", values);
    }
    for (String combinator : List.of("anyOf", "oneOf")) {
      if (copy.get(combinator) instanceof List<?> choices) {
        for (Object choice : choices) {
          // A choice that says nothing of its type ("anything else") must stay so (see untyped).
          if (choice instanceof Map<?, ?> schema && !schema.containsKey("type") && !schema.containsKey("$ref")
              && !schema.containsKey("enum") && !schema.containsKey("properties")) {
            ((Map<String, Object>) schema).put(ANY_TYPE, true);
          }
        }
      }
    }
    for (String keyword : List.of("if", "then", "else", "propertyNames")) {
      if (copy.get(keyword) instanceof Map<?, ?>) {
        copy.remove(keyword);
      }
    }
    if (copy.get("examples") instanceof List<?>) {
      copy.remove("examples");
    }
    for (String bound : List.of("exclusiveMinimum", "exclusiveMaximum")) {
      if (copy.get(bound) instanceof Number limit) {
        copy.put(bound.equals("exclusiveMinimum") ? "minimum" : "maximum", limit);
        copy.put(bound, true);
      }
    }
    return (T) copy;
  }

  /** Checks a handler's answer to an API Gateway event (and the event itself when it was accepted). */
  public static void check(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPResponse response) {
    String body = event.getBody();
    if (body != null && event.getIsBase64Encoded()) {
      try {
        body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException notBase64) {
        // Sent so on purpose; the handler must refuse it, and a refused request's body is not checked.
        body = null;
      }
    }
    SimpleRequest.Builder request = new SimpleRequest.Builder(event.getRequestContext().getHttp().getMethod(),
        greedy(event.getRawPath()));
    if (event.getHeaders() != null) {
      event.getHeaders().forEach(request::withHeader);
    }
    if (event.getRawQueryString() != null && !event.getRawQueryString().isEmpty()) {
      addQuery(request, event.getRawQueryString());
    } else if (event.getQueryStringParameters() != null) {
      event.getQueryStringParameters().forEach((name, value) -> request.withQueryParam(deepObjectName(name), value));
    }
    if (body != null) {
      request.withBody(body);
    }
    String responseBody = response.getBody();
    if (responseBody != null && response.getIsBase64Encoded()) {
      // Binary answers (the workbench's files) are held to their status and headers only.
      responseBody = null;
    }
    Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
    check(request.build(), response.getStatusCode(), headers, responseBody);
  }

  /**
   * Checks one exchange over HTTP: {@code pathAndQuery} as sent ({@code /v1/leads?view=sales}), the
   * request's headers and body, and the answer's status, headers and body.
   */
  public static void check(String method, String pathAndQuery, Map<String, List<String>> requestHeaders,
      String requestBody, int status, Map<String, List<String>> responseHeaders, String responseBody) {
    int question = pathAndQuery.indexOf('?');
    String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    SimpleRequest.Builder request = new SimpleRequest.Builder(method, greedy(path));
    requestHeaders.forEach((name, values) -> request.withHeader(name, values));
    if (question >= 0) {
      addQuery(request, pathAndQuery.substring(question + 1));
    }
    if (requestBody != null) {
      request.withBody(requestBody);
    }
    Map<String, String> single = responseHeaders.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty() && !e.getKey().startsWith(":"))
        .collect(Collectors.toMap(Map.Entry::getKey, e -> String.join(",", e.getValue()), (a, b) -> a));
    check(request.build(), status, single, responseBody);
  }

  /**
   * The workbench's files are one greedy path parameter (template.yaml's {@code {proxy+}}), which OpenAPI
   * cannot write: its slashes are sent escaped, as one segment of {@code /workbench/{proxy}}.
   */
  private static String greedy(String path) {
    String prefix = "/workbench/";
    return path.startsWith(prefix) ? prefix + path.substring(prefix.length()).replace("/", "%2F") : path;
  }

  private static void addQuery(SimpleRequest.Builder request, String query) {
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      request.withQueryParam(deepObjectName(name), value);
    }
  }

  /**
   * {@code mapping[Work email]} as the validator can match it: its deepObject pattern ({@code name[\S*]})
   * takes no white space in a member's name, which OpenAPI allows (the member's value is still checked).
   */
  private static String deepObjectName(String name) {
    int open = name.indexOf('[');
    return open > 0 && name.endsWith("]")
        ? name.substring(0, open + 1) + name.substring(open + 1, name.length() - 1).replaceAll("\\s", "_") + "]" : name;
  }

  private static String decode(String text) {
    return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static void check(Request request, int status, Map<String, String> headers, String responseBody) {
    SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
    headers.forEach(response::withHeader);
    if (responseBody != null && !responseBody.isEmpty()) {
      response.withBody(responseBody);
    }
    ValidationReport report = validator().validate(request, response.build());
    boolean refused = status >= 400 && status < 500;
    List<ValidationReport.Message> messages = report.getMessages().stream()
        .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
        // A request refused on purpose need not match the document; its answer must.
        .filter(m -> !(refused && m.getKey().startsWith("validation.request")))
        // A redirect (a browser's form post) has no body: what the browser accepts is moot.
        .filter(m -> !(status / 100 == 3 && m.getKey().equals("validation.request.accept.notAllowed")))
        // The validator reads an empty form value ("website=") as null; on the wire it is "".
        .filter(m -> !(formEncoded(request) && m.getKey().equals("validation.request.body.schema.type")
            && m.getMessage().contains("Instance type (null)")))
        .toList();
    if (!messages.isEmpty()) {
      throw new AssertionError(String.format("%s %s → %d does not match docs/openapi.yaml:%n%s%nanswer: %s",
          request.getMethod(), request.getPath(), status,
          messages.stream().map(OpenApiContract::describe).collect(Collectors.joining("\n")),
          responseBody));
    }
  }

  private static boolean formEncoded(Request request) {
    return request.getContentType().map(type -> type.startsWith("application/x-www-form-urlencoded")).orElse(false);
  }

  private static String describe(ValidationReport.Message message) {
    return describe(message, "  - ");
  }

  /** The message and, indented below it, why its parts failed (an allOf or oneOf says only how many did). */
  private static String describe(ValidationReport.Message message, String indent) {
    StringBuilder text = new StringBuilder(indent).append('[').append(message.getKey()).append("] ")
        .append(message.getMessage().replace('\n', ' '))
        .append(message.getContext().flatMap(c -> c.getPointers().map(p -> " at " + p.getInstance())).orElse(""));
    for (ValidationReport.Message nested : message.getNestedMessages()) {
      text.append('\n').append(describe(nested, "    " + indent));
    }
    return text.toString();
  }
}
