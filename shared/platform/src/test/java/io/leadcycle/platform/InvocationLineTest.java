package io.leadcycle.platform;

import io.leadcycle.runtime.ColdStart;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.runtime.Metric;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.LambdaEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The closing line of every invocation, as the platform writes it: {@code coldStart}, priming, and the
 * metrics the platform counts itself (parked queue messages, failed scheduled runs), as EMF.
 */
class InvocationLineTest {

  /** A scheduled function that counts one lead created, or fails when told to. */
  private static final class Counting extends ScheduledFunction {

    private final RuntimeException failure;

    Counting(RuntimeException failure) {
      super();
      this.failure = failure;
    }

    @Override
    protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
      if (failure != null) {
        throw failure;
      }
      invocation.metrics().count(Metric.LEADS_CREATED);
      return Map.of("leads", 1);
    }
  }

  private static InvocationLog.Captured<Map<String, Object>> tick(ScheduledFunction function) {
    ScheduledEvent event = LambdaEvents.read(ScheduledEvent.class, LambdaEvents.resource("events/scheduled-event.json"));
    return InvocationLog.capture(() -> function.handleRequest(event, null));
  }

  @Test
  void theFirstInvocationAfterARestoreIsColdAndTheNextOnesAreNot() {
    Counting function = new Counting(null);
    ColdStart.afterRestore();

    JsonObject first = tick(function).line();
    JsonObject second = tick(function).line();
    JsonObject third = tick(new Counting(null)).line();

    assertThat(first.getBoolean("coldStart")).isTrue();
    assertThat(second.getBoolean("coldStart")).isFalse();
    assertThat(third.getBoolean("coldStart")).as("another handler in the same environment").isFalse();
    assertThat(InvocationLog.metricsOf(first)).containsEntry("LeadsCreated", 1L);
    assertThat(first.getString("FunctionName")).as("off Lambda, the function's own name").isEqualTo("Counting");
    assertThat(first.containsKey("priming")).isFalse();
  }

  @Test
  void primingNeitherTakesTheColdStartNorEmitsMetrics() {
    Counting function = new Counting(null);
    ColdStart.afterRestore();

    InvocationLog.Captured<Void> primed = InvocationLog.capture(() -> {
      ColdStart.priming(() -> {
        tick(function);
        tick(function);
      });
      return null;
    });
    JsonObject firstReal = tick(function).line();

    assertThat(primed.invocations()).hasSize(2).allSatisfy(line -> {
      assertThat(line.getBoolean("priming")).isTrue();
      assertThat(line.getBoolean("coldStart")).isFalse();
      assertThat(line.containsKey("_aws")).as("made-up events must not reach CloudWatch's metrics").isFalse();
      assertThat(line.containsKey("LeadsCreated")).isFalse();
    });
    assertThat(firstReal.getBoolean("coldStart")).isTrue();
    assertThat(InvocationLog.metricsOf(firstReal)).containsEntry("LeadsCreated", 1L);
  }

  @Test
  void aScheduledRunSaysWhetherItFailed() {
    assertThat(tick(new Counting(null)).metrics()).containsEntry("ScheduledRunsFailed", 0L);
    assertThat(tick(new Counting(new Unavailable("database down"))).metrics())
        .containsEntry("ScheduledRunsFailed", 1L).doesNotContainKey("LeadsCreated");
    assertThat(tick(new Counting(new IllegalStateException("bug"))).metrics()).containsEntry("ScheduledRunsFailed", 1L);
  }

  @Test
  void parkedQueueMessagesAreCountedAndRetriedOnesAreNot() {
    SqsFunction function = new SqsFunction(() -> (message, reason) -> true) {
      @Override
      protected void process(SQSMessage message, Invocation invocation) {
        switch (message.getBody()) {
          case "malformed" -> throw new InvalidInput("journeyId", "required");
          case "down" -> throw new Unavailable("database down");
          default -> invocation.metrics().count(Metric.LEADS_CREATED);
        }
      }
    };

    Map<String, Long> metrics = InvocationLog.capture(
        () -> function.handleRequest(batch("ok", "malformed", "down", "malformed", "ok"), null)).metrics();
    Map<String, Long> quiet = InvocationLog.capture(() -> function.handleRequest(batch("ok"), null)).metrics();

    assertThat(metrics).containsEntry("QueueMessagesParked", 2L).containsEntry("LeadsCreated", 2L);
    assertThat(quiet).containsEntry("QueueMessagesParked", 0L);
  }

  private static SQSEvent batch(String... bodies) {
    JsonArray records = new JsonArray();
    for (int i = 0; i < bodies.length; i++) {
      records.add(new JsonObject().put("messageId", "m-" + i).put("receiptHandle", "h-" + i).put("body", bodies[i])
          .put("attributes", new JsonObject().put("ApproximateReceiveCount", "1"))
          .put("messageAttributes", new JsonObject()).put("eventSource", "aws:sqs")
          .put("eventSourceARN", "arn:aws:sqs:eu-central-1:123456789012:queue").put("awsRegion", "eu-central-1"));
    }
    return LambdaEvents.read(SQSEvent.class, new JsonObject().put("Records", records).encode());
  }

  @Test
  void theLineStillCarriesWhatTheTriggerPut() {
    List<JsonObject> lines = tick(new Counting(null)).invocations();
    assertThat(lines).singleElement().satisfies(line -> {
      assertThat(line.getString("function")).isEqualTo("Counting");
      assertThat(line.getString("outcome")).isEqualTo("completed");
      assertThat(line.getDouble("durationMs")).isNotNegative();
    });
  }
}
