package io.leadcycle.local;

import io.leadcycle.http.Access;
import io.leadcycle.http.Problem;
import io.leadcycle.http.Route;
import io.leadcycle.http.RouteTable;
import io.leadcycle.platform.LeadcycleFunction;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The local server's own routes: {@code GET /openapi.json}, and under {@code /_local} (management token)
 * invoking any function with an event, sending to a queue and showing it; and each queue function's
 * {@code QueueRoute}, which hands it events directly.
 */
final class LocalApi {

  /** A route of the local server itself, with what serves it; it reads the path parameters of its match. */
  record LocalRoute(BiConsumer<RoutingContext, Map<String, String>> handler) {
  }

  private static final String INVOKE = "/_local/invoke/{function}";
  private static final String QUEUE_MESSAGES = "/_local/queues/{function}/messages";
  private static final String QUEUE_STATUS = "/_local/queues/{function}";

  /**
   * The route keys of the local server's own management routes (the permission table names each): the
   * developer's tools, and each queue function's {@code QueueRoute} the template declares.
   */
  static List<String> managementRouteKeys() {
    List<String> keys = new ArrayList<>(List.of("POST " + INVOKE, "POST " + QUEUE_MESSAGES, "GET " + QUEUE_STATUS));
    SamTemplate.bundled().stream().filter(function -> function.localQueueRoute() != null)
        .forEach(function -> keys.add("POST " + function.localQueueRoute()));
    return keys;
  }

  /** The most messages one direct delivery to a queue function takes. */
  static final int MAX_DIRECT_MESSAGES = 100;

  private final LocalFunctions functions;
  private final LocalQueues queues;
  private final HandlerThreads threads;

  LocalApi(LocalFunctions functions, LocalQueues queues, HandlerThreads threads) {
    this.functions = functions;
    this.queues = queues;
    this.threads = threads;
  }

  RouteTable<LocalRoute> routes() {
    List<RouteTable.Entry<LocalRoute>> own = new ArrayList<>(List.of(
        local("GET", "/openapi.json", Access.PUBLIC, (ctx, parameters) -> ctx.response()
            .putHeader("content-type", "application/json").end(OpenApiDocument.json())),
        local("POST", INVOKE, Access.MANAGEMENT, this::invoke),
        local("POST", QUEUE_MESSAGES, Access.MANAGEMENT, this::sendToQueue),
        local("GET", QUEUE_STATUS, Access.MANAGEMENT, this::queueStatus)));
    for (LocalFunctions.Hosted function : functions.all()) {
      LocalQueue queue = queues.of(function.name());
      if (function.queueRoute() != null && queue != null) {
        own.add(local("POST", function.queueRoute(), Access.MANAGEMENT, (ctx, parameters) -> deliverDirectly(ctx, queue)));
      }
    }
    return new RouteTable<>(own);
  }

  private static RouteTable.Entry<LocalRoute> local(String method, String path, Access access,
      BiConsumer<RoutingContext, Map<String, String>> handler) {
    // The endpoint is for functions' routes; the local server calls its handler with the context.
    return new RouteTable.Entry<>(new LocalRoute(handler), new Route(method, path, access, null));
  }

  /** {@code POST /_local/invoke/{function}}: the body is the event; the answer is what the handler returned. */
  @SuppressWarnings("unchecked")
  private void invoke(RoutingContext ctx, Map<String, String> parameters) {
    LocalFunctions.Hosted hosted = function(ctx, parameters.get("function"));
    if (hosted == null) {
      return;
    }
    LeadcycleFunction<Object, Object> handler = (LeadcycleFunction<Object, Object>) hosted.handler();
    Object event;
    try {
      event = LambdaJson.read(handler.eventType(), LocalRequests.rawBody(ctx).toString(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      LocalProblems.write(ctx, Problem.malformed("The body is not a " + handler.eventType().getSimpleName()
          + " event in the JSON AWS sends."));
      return;
    }
    record Answer(String json, boolean functionError) {
    }
    threads.answer(ctx, () -> {
      try {
        return new Answer(LambdaJson.write(handler.handleRequest(event, null)), false);
      } catch (RuntimeException e) {
        // As Lambda's Invoke API reports a function error: 200, X-Amz-Function-Error, the error as JSON.
        return new Answer(new JsonObject().put("errorMessage", e.getMessage()).put("errorType", e.getClass().getName())
            .encode(), true);
      }
    }, answer -> {
      var response = ctx.response().putHeader("content-type", "application/json");
      if (answer.functionError()) {
        response.putHeader("x-amz-function-error", "Unhandled");
      }
      response.end(answer.json());
    });
  }

  /** A message to send to a queue. */
  private record Outgoing(String body, Map<String, String> attributes) {
  }

  /** {@code POST /_local/queues/{function}/messages} {@code {"messages": [{"body", "attributes"?}]}}: all or none. */
  private void sendToQueue(RoutingContext ctx, Map<String, String> parameters) {
    LocalQueue queue = queue(ctx, parameters.get("function"));
    if (queue == null) {
      return;
    }
    List<Outgoing> outgoing;
    try {
      outgoing = outgoing(new JsonObject(LocalRequests.rawBody(ctx)).getJsonArray("messages"));
    } catch (RuntimeException e) {
      LocalProblems.write(ctx, Problem.invalid("messages",
          "send {\"messages\": [{\"body\": \"...\" or {...}, \"attributes\"?: {\"name\": \"value\"}}]}"));
      return;
    }
    JsonArray ids = new JsonArray();
    outgoing.forEach(m -> ids.add(queue.send(m.body(), m.attributes())));
    ctx.response().setStatusCode(202).putHeader("content-type", "application/json")
        .end(new JsonObject().put("messageIds", ids).encode());
  }

  /** The messages of a send; throws on none, or one without a body. */
  private static List<Outgoing> outgoing(JsonArray messages) {
    List<Outgoing> outgoing = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      Object body = message.getValue("body");
      if (body == null) {
        throw new IllegalArgumentException("no body");
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      message.getJsonObject("attributes", new JsonObject()).forEach(e -> attributes.put(e.getKey(), String.valueOf(e.getValue())));
      outgoing.add(new Outgoing(body instanceof String text ? text : Json.encode(body), attributes));
    }
    if (outgoing.isEmpty()) {
      throw new IllegalArgumentException("no messages");
    }
    return outgoing;
  }

  private void queueStatus(RoutingContext ctx, Map<String, String> parameters) {
    LocalQueue queue = queue(ctx, parameters.get("function"));
    if (queue != null) {
      ctx.response().putHeader("content-type", "application/json").end(queue.status().encode());
    }
  }

  /**
   * A queue function's {@code QueueRoute} ({@code POST /v1/journeys/tile-events}): {@code {"events":
   * [...]}}, each event the body of one SQS record, handed to the function as one batch at once. The
   * answer is the function's {@code batchItemFailures}, each with the event's {@code index} and, when
   * the function refused it, the {@code reason}; and every event's {@code messageIds}, in order.
   */
  private void deliverDirectly(RoutingContext ctx, LocalQueue queue) {
    List<String> bodies = new ArrayList<>();
    try {
      JsonArray events = new JsonObject(LocalRequests.rawBody(ctx)).getJsonArray("events");
      if (events == null || events.isEmpty() || events.size() > MAX_DIRECT_MESSAGES) {
        throw new IllegalArgumentException("no events");
      }
      events.forEach(event -> bodies.add(Json.encode(event)));
    } catch (RuntimeException e) {
      LocalProblems.write(ctx, Problem.invalid("events", "send {\"events\": [...]}: 1 to " + MAX_DIRECT_MESSAGES
          + " events, each the JSON body of one queue message"));
      return;
    }
    threads.answer(ctx, () -> queue.deliverDirectly(bodies, queues.deadLetters()), outcomes -> ctx.response()
        .putHeader("content-type", "application/json").end(directAnswer(outcomes).encode()));
  }

  private static JsonObject directAnswer(List<LocalQueue.DirectOutcome> outcomes) {
    JsonArray failures = new JsonArray();
    JsonArray ids = new JsonArray();
    for (int i = 0; i < outcomes.size(); i++) {
      LocalQueue.DirectOutcome outcome = outcomes.get(i);
      ids.add(outcome.messageId());
      if (outcome.failed()) {
        failures.add(new JsonObject().put("itemIdentifier", outcome.messageId()).put("index", i)
            .put("reason", outcome.reason() != null ? outcome.reason()
                : "failed for a reason that may pass (see the server log): send it again"));
      }
    }
    return new JsonObject().put("batchItemFailures", failures).put("messageIds", ids);
  }

  private LocalFunctions.Hosted function(RoutingContext ctx, String name) {
    LocalFunctions.Hosted hosted = functions.named(name);
    if (hosted == null) {
      LocalProblems.write(ctx, Problem.notFound("No function " + name + "; hosted: " + String.join(", ", functions.names())));
    }
    return hosted;
  }

  private LocalQueue queue(RoutingContext ctx, String name) {
    LocalQueue queue = queues.of(name);
    if (queue == null) {
      LocalProblems.write(ctx, Problem.notFound("No queue-triggered function " + name
          + "; queues: " + String.join(", ", queues.names())));
    }
    return queue;
  }
}
