package io.leadcycle.platform;

import io.leadcycle.runtime.ColdStart;

import com.amazonaws.services.lambda.runtime.Context;
import io.leadcycle.runtime.JsonLog;
import io.leadcycle.runtime.Metrics;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * One call of a function: the id its log lines carry, what it is about (collected for the closing log
 * line), what it counted ({@link Metrics}, written into that line as CloudWatch EMF), whether it was the
 * environment's first ({@link ColdStart}), and how long it took. Request ids are made here and nowhere else.
 */
public final class Invocation {

  /** Lambda's name for this function (unique per stack); null off Lambda, where the function's own name stands in. */
  private static final String LAMBDA_FUNCTION_NAME = System.getenv("AWS_LAMBDA_FUNCTION_NAME");

  private final String requestId;
  private final String function;
  private final boolean priming = ColdStart.isPriming();
  private final boolean coldStart = ColdStart.take();
  private final long startedNanos = System.nanoTime();
  private final JsonObject details = new JsonObject();
  private final Metrics metrics = new Metrics();

  private Invocation(String requestId, String function) {
    this.requestId = requestId;
    this.function = function;
  }

  /**
   * Starts an invocation of {@code function}. Its id is the trigger's own when it has one (API
   * Gateway's request id, which the caller also sees), else Lambda's {@code awsRequestId}, else new.
   */
  public static Invocation start(String function, String triggerRequestId, Context context) {
    String id = triggerRequestId != null ? triggerRequestId
        : context != null && context.getAwsRequestId() != null ? context.getAwsRequestId()
        : newRequestId();
    return new Invocation(id, function);
  }

  /** A fresh id for work no trigger named (the local server's own answers, local events). */
  public static String newRequestId() {
    return UUID.randomUUID().toString();
  }

  public String requestId() {
    return requestId;
  }

  public String function() {
    return function;
  }

  /** What this invocation counts; written once, in its closing line. */
  public Metrics metrics() {
    return metrics;
  }

  /** Adds a member to the closing log line (route, status, counts...): never secrets or bodies. */
  public Invocation put(String name, Object value) {
    details.put(name, value);
    return this;
  }

  public double elapsedMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000.0;
  }

  public void info(String message, JsonObject more) {
    JsonLog.info(requestId, message, context(more));
  }

  public void warn(String message, JsonObject more) {
    JsonLog.warn(requestId, message, context(more));
  }

  /**
   * Logs what went wrong: bugs with their stack trace, everything else as one line with its kind (and,
   * for a database error, its SQLSTATE and which timeout, if one, cancelled it; never the statement or
   * its values).
   */
  public void failed(String message, Failure failure, JsonObject more) {
    if (failure.kind() == FailureKind.BUG) {
      JsonLog.error(requestId, message, failure.cause(), context(more));
    } else {
      JsonObject line = (more == null ? new JsonObject() : more.copy())
          .put("failure", failure.kind().name()).put("reason", failure.message());
      if (failure.sqlState() != null) {
        line.put("sqlState", failure.sqlState());
      }
      if (failure.timeout() != null) {
        line.put("timeout", failure.timeout());
      }
      warn(message, line);
    }
  }

  /**
   * The closing line: the function, everything put so far, the duration, {@code coldStart} and what was
   * counted, as EMF. Priming work (before a snapshot) is marked and counts nothing.
   */
  void finish() {
    JsonObject line = context(details).put("durationMs", elapsedMillis()).put("coldStart", coldStart);
    if (priming) {
      line.put("priming", true);
    } else {
      metrics.embedIn(line, LAMBDA_FUNCTION_NAME != null ? LAMBDA_FUNCTION_NAME : function, System.currentTimeMillis());
    }
    JsonLog.info(requestId, "invocation", line);
  }

  private JsonObject context(JsonObject more) {
    JsonObject line = new JsonObject().put("function", function);
    return more == null ? line : line.mergeIn(more);
  }
}
