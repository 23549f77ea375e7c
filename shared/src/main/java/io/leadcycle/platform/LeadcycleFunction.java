package io.leadcycle.platform;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.leadcycle.runtime.Database;
import io.leadcycle.runtime.JavaLogging;
import java.util.function.Supplier;

/**
 * The base of every Leadcycle function, whatever triggers it. It owns what each invocation needs: the
 * database (built from the environment on first use, once per execution environment), an
 * {@link Invocation} with its request id for the log, timing, and the classification of failures.
 * Trigger kinds ({@code HttpFunction}, {@link ScheduledFunction}, {@link SqsFunction},
 * {@link S3Function}, {@link CustomResourceFunction}) are thin layers that say what a failure means
 * for their trigger; a function extends one of them and writes only its own work.
 *
 * @param <I> the event type Lambda deserializes (aws-lambda-java-events)
 * @param <O> what the function answers
 */
public abstract class LeadcycleFunction<I, O> implements RequestHandler<I, O> {

  static {
    // Libraries (Vert.x, Netty, Flyway, the AWS SDK) log through java.util.logging or SLF4J: one JSON format for all.
    JavaLogging.routeToJson();
  }

  private final Supplier<Database> database;

  /** Lambda's constructor: the database comes from the environment, on first use. */
  protected LeadcycleFunction() {
    this(LeadcycleRuntime::database);
  }

  /** For tests and hosts that bring their own database. */
  protected LeadcycleFunction(Supplier<Database> database) {
    this.database = database;
  }

  /** The shared database; the first call in an execution environment connects. */
  protected final Database database() {
    return database.get();
  }

  /** The event class this function takes, so a host can deserialize events for it. */
  public abstract Class<I> eventType();

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
