package io.leadcycle.platform;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.leadcycle.runtime.JavaLogging;
import io.leadcycle.runtime.LeadcycleRuntime;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The base of every Leadcycle function, whatever triggers it. It owns what each invocation needs: an
 * {@link Invocation} with its request id for the log, timing, and the classification of failures. It
 * knows no database: a function that uses one holds it ({@code SharedDatabase} in Lambda, the host's or
 * the test's otherwise), so a function without one carries no database client in its jar.
 * Trigger kinds ({@code HttpFunction}, {@link ScheduledFunction}, {@link SqsFunction},
 * {@link S3Function}, {@link CustomResourceFunction}) are thin layers that say what a failure means
 * for their trigger and how their events and answers look as JSON; a function extends one of them and
 * writes only its own work.
 *
 * <p>AWS's Java runtime calls {@link #handleRequest(InputStream, OutputStream, Context)}: it prefers the
 * stream handler of a class that is both, so the event is read here ({@link LambdaEventJson}) rather
 * than by the runtime's own serializer, which costs a fifth of a second at every cold start. Hosts that
 * have the event object already (the local server, tests) call {@link #handleRequest(Object, Context)};
 * both meet there. template.yaml names the class only ({@code Handler: pkg.Class}): with
 * {@code Class::handleRequest} the runtime would pick a method by its parameter types instead.
 *
 * @param <I> the event type Lambda deserializes (aws-lambda-java-events)
 * @param <O> what the function answers
 */
public abstract class LeadcycleFunction<I, O> implements RequestHandler<I, O>, RequestStreamHandler {

  static {
    // Libraries (Vert.x, Netty, Flyway, the AWS SDK) log through java.util.logging or SLF4J: one JSON format for all.
    JavaLogging.routeToJson();
  }

  /** In a Lambda execution environment, the function's own priming joins SnapStart's hooks. */
  protected LeadcycleFunction() {
    LeadcycleRuntime.primeBeforeSnapshot(this::prime);
  }

  /**
   * What this function does before a SnapStart snapshot, beside the runtime's own priming: build what its
   * first event would build (a route table), without side effects. Nothing by default.
   */
  protected void prime() {
  }

  /** The event class this function takes, so a host can deserialize events for it. */
  public abstract Class<I> eventType();

  /** Lambda's entry: the event as the JSON Lambda sends (null, or an object), the answer as JSON. */
  @Override
  public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    // From text, not a Vert.x Buffer: a function without Netty (the workbench) reads its events too.
    Object json = Json.decodeValue(new String(input.readAllBytes(), StandardCharsets.UTF_8));
    O answer = handleRequest(json instanceof JsonObject object ? readEvent(object) : null, context);
    output.write(writeAnswer(answer).getBytes(StandardCharsets.UTF_8));
  }

  /** The trigger's event from the JSON Lambda sends, as AWS's runtime would deserialize it. */
  protected abstract I readEvent(JsonObject json);

  /** The trigger's answer as the JSON Lambda passes on, as AWS's runtime would serialize it. */
  protected abstract String writeAnswer(O answer);

  @Override
  public final O handleRequest(I event, Context context) {
    Invocation invocation = Invocation.start(functionName(), event == null ? null : triggerRequestId(event), context);
    try {
      return handle(event, invocation);
    } catch (Exception | Error thrown) {
      // Exception, not RuntimeException: Future.await() rethrows checked causes (ConnectException) as they are.
      Failure failure = Failure.of(thrown);
      invocation.put("failure", failure.kind().name());
      return onFailure(event, failure, invocation);
    } finally {
      invocation.finish();
    }
  }

  /** The trigger's work for one event. */
  protected abstract O handle(I event, Invocation invocation);

  /**
   * What a failure that escaped {@link #handle} means for this trigger: an answer, or a rethrow (so
   * that Lambda retries the event).
   */
  protected abstract O onFailure(I event, Failure failure, Invocation invocation);

  /** The trigger's own request id, when its event carries one; null lets Lambda's id name the invocation. */
  protected String triggerRequestId(I event) {
    return null;
  }

  /** The name in log lines: the handler class's simple name (an anonymous class has none: its full name). */
  protected String functionName() {
    String simpleName = getClass().getSimpleName();
    return simpleName.isEmpty() ? getClass().getName() : simpleName;
  }
}
