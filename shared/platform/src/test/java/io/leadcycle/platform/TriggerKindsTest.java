package io.leadcycle.platform;

import io.leadcycle.runtime.DeadLetters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.testing.LambdaEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The trigger kinds, fed real-shaped events read by the AWS runtime's serializer: what each makes of
 * success and of every kind of failure.
 */
class TriggerKindsTest {

  @Nested
  class Failures {

    @Test
    void domainFailuresAreClientErrorsAndAnUnreachableDatabaseIsUnavailable() {
      assertThat(Failure.of(new InvalidInput("email", "required")).kind()).isEqualTo(FailureKind.INVALID_INPUT);
      assertThat(Failure.of(new NotFound("no lead")).kind()).isEqualTo(FailureKind.NOT_FOUND);
      assertThat(Failure.of(new Conflict("closed")).kind()).isEqualTo(FailureKind.CONFLICT);
      assertThat(Failure.of(new Unavailable("LinkedIn is down")).kind()).isEqualTo(FailureKind.UNAVAILABLE);
      // Without a module that knows a database (no KnownFailures here), a refused connection is a bug;
      // with leadcycle-postgres it is unavailable (PostgresFailuresTest).
      assertThat(Failure.of(new RuntimeException(new ConnectException("refused"))).kind()).isEqualTo(FailureKind.BUG);
      Failure bug = Failure.of(new IllegalStateException("rule error"));
      assertThat(bug.kind()).isEqualTo(FailureKind.BUG);
      assertThat(bug.message()).contains("IllegalStateException").contains("rule error");
      assertThat(FailureKind.INVALID_INPUT.isClientError()).isTrue();
      assertThat(FailureKind.UNAVAILABLE.isClientError()).isFalse();
      assertThat(FailureKind.BUG.isClientError()).isFalse();
    }
  }

  @Nested
  class Schedules {

    @Test
    void anEventBridgeRuleEventIsReadAndTheRunsSummaryAnswered() {
      List<ScheduledEvent> seen = new ArrayList<>();
      ScheduledFunction function = scheduled(event -> seen.add(event));

      Map<String, Object> answer = function.handleRequest(scheduledEvent(), null);

      assertThat(answer).containsEntry("outcome", "completed").containsEntry("leadsScored", 3);
      assertThat(seen).singleElement().satisfies(e -> {
        assertThat(e.getId()).isEqualTo("4e6638b7-b892-4482-9762-8c58d4e71ecc");
        assertThat(e.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(e.getTime().getMillis()).isPositive();
      });
    }

    @Test
    void aFailedRunIsAnsweredNotThrownSoTheNextRunIsTheRetry() {
      ScheduledFunction unavailable = scheduled(event -> {
        throw new Unavailable("database down");
      });
      ScheduledFunction buggy = scheduled(event -> {
        throw new IllegalStateException("bug");
      });

      assertThat(unavailable.handleRequest(scheduledEvent(), null))
          .containsEntry("outcome", "failed").containsEntry("failure", "UNAVAILABLE");
      assertThat(buggy.handleRequest(scheduledEvent(), null))
          .containsEntry("outcome", "failed").containsEntry("failure", "BUG");
    }

    @Test
    void anEventBridgeSchedulerEventCannotBeReadAsAScheduledEvent() {
      // Its "detail" is a JSON string, not an object: why template.yaml uses Schedule (rules), not ScheduleV2.
      String schedulerEvent = LambdaEvents.resource("events/scheduler-event.json");
      assertThat(new JsonObject(schedulerEvent).getValue("detail")).isEqualTo("{}");

      Throwable thrown = catchThrowable(() -> LambdaEvents.read(ScheduledEvent.class, schedulerEvent));

      assertThat(thrown).isNotNull().hasStackTraceContaining("detail");
    }

    private ScheduledEvent scheduledEvent() {
      return LambdaEvents.read(ScheduledEvent.class, LambdaEvents.resource("events/scheduled-event.json"));
    }

    private ScheduledFunction scheduled(Consumer<ScheduledEvent> work) {
      return new ScheduledFunction() {
        @Override
        protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
          work.accept(event);
          return Map.of("leadsScored", 3);
        }
      };
    }
  }

  @Nested
  class Queues {

    private final List<String> parked = new ArrayList<>();
    private final DeadLetters recordingDeadLetters = (message, reason) -> parked.add(message.getBody() + ": " + reason);

    @Test
    void onlyTheFailedRecordsAreReportedAndTheRestSucceed() {
      List<String> processed = new ArrayList<>();
      SqsFunction function = queue(message -> {
        if (message.getBody().equals("down")) {
          throw new Unavailable("database down");
        }
        if (message.getBody().equals("bug")) {
          throw new IllegalStateException("bug");
        }
        processed.add(message.getBody());
      }, recordingDeadLetters);

      SQSBatchResponse response = function.handleRequest(batch("queue", "a", "down", "b", "bug", "c"), null);

      assertThat(processed).containsExactly("a", "b", "c");
      assertThat(failedIds(response)).containsExactly("m-down", "m-bug");
      assertThat(parked).isEmpty();
    }

    @Test
    void aClientErrorGoesStraightToTheDeadLetterQueueAndIsNotRetried() {
      SqsFunction function = queue(message -> {
        if (message.getBody().equals("malformed")) {
          throw new InvalidInput("journeyId", "required");
        }
        if (message.getBody().equals("unknown")) {
          throw new NotFound("no contact 42");
        }
      }, recordingDeadLetters);

      SQSBatchResponse response = function.handleRequest(batch("queue", "ok", "malformed", "unknown"), null);

      assertThat(failedIds(response)).isEmpty();
      assertThat(parked).containsExactly("malformed: journeyId: required", "unknown: no contact 42");
    }

    @Test
    void withoutADeadLetterQueueAClientErrorIsReportedSoTheRedrivePolicyEndsIt() {
      SqsFunction function = queue(message -> {
        throw new InvalidInput("body", "not JSON");
      }, DeadLetters.NONE);

      SQSBatchResponse response = function.handleRequest(batch("queue", "x", "y"), null);

      assertThat(failedIds(response)).containsExactly("m-x", "m-y");
    }

    @Test
    void onAFifoQueueTheFirstFailureHoldsBackTheRestOfTheBatch() {
      List<String> processed = new ArrayList<>();
      SqsFunction function = queue(message -> {
        if (message.getBody().equals("down")) {
          throw new Unavailable("database down");
        }
        processed.add(message.getBody());
      }, recordingDeadLetters);

      SQSBatchResponse response = function.handleRequest(batch("queue.fifo", "a", "down", "b", "c"), null);

      assertThat(processed).containsExactly("a");
      assertThat(failedIds(response)).containsExactly("m-down", "m-b", "m-c");
    }

    @Test
    void theAwsSampleEventIsRead() {
      List<SQSMessage> seen = new ArrayList<>();
      SqsFunction function = queue(seen::add, recordingDeadLetters);

      SQSBatchResponse response = function.handleRequest(
          LambdaEvents.read(SQSEvent.class, LambdaEvents.resource("events/sqs-event.json")), null);

      assertThat(failedIds(response)).isEmpty();
      assertThat(seen).singleElement().satisfies(m -> {
        assertThat(m.getMessageId()).isEqualTo("d9144555-9a4f-4ec3-99a0-fc4e625a8db2");
        assertThat(m.getAttributes()).containsEntry("ApproximateReceiveCount", "1");
        assertThat(m.getEventSourceArn()).endsWith(":TestLambda");
      });
    }

    private SqsFunction queue(Consumer<SQSMessage> work, DeadLetters deadLetters) {
      return new SqsFunction(() -> deadLetters) {
        @Override
        protected void process(SQSMessage message, Invocation invocation) {
          work.accept(message);
        }
      };
    }

    private SQSEvent batch(String queue, String... bodies) {
      JsonArray records = new JsonArray();
      for (String body : bodies) {
        records.add(new JsonObject().put("messageId", "m-" + body).put("receiptHandle", "h-" + body).put("body", body)
            .put("attributes", new JsonObject().put("ApproximateReceiveCount", "1"))
            .put("messageAttributes", new JsonObject()).put("eventSource", "aws:sqs")
            .put("eventSourceARN", "arn:aws:sqs:eu-central-1:123456789012:" + queue).put("awsRegion", "eu-central-1"));
      }
      return LambdaEvents.read(SQSEvent.class, new JsonObject().put("Records", records).encode());
    }

    private List<String> failedIds(SQSBatchResponse response) {
      return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }
  }

  @Nested
  class Buckets {

    @Test
    void theObjectOfTheAwsSampleEventIsHandedOver() {
      List<S3Function.CreatedObject> seen = new ArrayList<>();
      S3Function function = bucket(seen::add);

      function.handleRequest(s3Event("test/key"), null);

      assertThat(seen).containsExactly(new S3Function.CreatedObject("example-bucket", "test/key", 1024,
          "0123456789abcdef0123456789abcdef", "ObjectCreated:Put"));
    }

    @Test
    void theKeyArrivesUrlDecoded() {
      List<S3Function.CreatedObject> seen = new ArrayList<>();

      bucket(seen::add).handleRequest(s3Event("imports/spring+list+%C3%BC.csv"), null);

      assertThat(seen).singleElement().extracting(S3Function.CreatedObject::key).isEqualTo("imports/spring list ü.csv");
    }

    @Test
    void aClientErrorIsLoggedNotRetriedAndAnythingElseIsThrownForLambdaToRetry() {
      S3Function unreadable = bucket(object -> {
        throw new InvalidInput("file", "not CSV");
      });
      S3Function unavailable = bucket(object -> {
        throw new Unavailable("database down");
      });

      assertThat(catchThrowable(() -> unreadable.handleRequest(s3Event("a.csv"), null))).isNull();
      assertThat(catchThrowable(() -> unavailable.handleRequest(s3Event("a.csv"), null))).isInstanceOf(Unavailable.class);
    }

    private S3Event s3Event(String key) {
      JsonObject event = new JsonObject(LambdaEvents.resource("events/s3-event.json"));
      event.getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object").put("key", key);
      return LambdaEvents.read(S3Event.class, event.encode());
    }

    private S3Function bucket(Consumer<S3Function.CreatedObject> work) {
      return new S3Function() {
        @Override
        protected void objectCreated(CreatedObject object, Invocation invocation) {
          work.accept(object);
        }
      };
    }
  }

  /** AWS's runtime calls the stream handler: the event read from Lambda's JSON, the answer written as JSON. */
  @Nested
  class AsLambdaCallsThem {

    @Test
    void aScheduleTickIsReadAndItsSummaryWritten() throws IOException {
      List<ScheduledEvent> seen = new ArrayList<>();
      ScheduledFunction function = new ScheduledFunction() {
        @Override
        protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
          seen.add(event);
          return Map.of("leadsScored", 3);
        }
      };

      JsonObject answer = new JsonObject(call(function, LambdaEvents.resource("events/scheduled-event.json")));

      assertThat(answer).isEqualTo(new JsonObject().put("leadsScored", 3).put("outcome", "completed"));
      assertThat(seen).singleElement().extracting(ScheduledEvent::getId).isEqualTo("4e6638b7-b892-4482-9762-8c58d4e71ecc");
    }

    @Test
    void aBatchIsReadAndItsFailuresWritten() throws IOException {
      SqsFunction function = new SqsFunction(() -> DeadLetters.NONE) {
        @Override
        protected void process(SQSMessage message, Invocation invocation) {
          throw new Unavailable("database down");
        }
      };

      JsonObject answer = new JsonObject(call(function, LambdaEvents.resource("events/sqs-event.json")));

      assertThat(answer).isEqualTo(new JsonObject().put("batchItemFailures", new JsonArray()
          .add(new JsonObject().put("itemIdentifier", "d9144555-9a4f-4ec3-99a0-fc4e625a8db2"))));
    }

    @Test
    void aNewObjectIsReadAndNothingAnswered() throws IOException {
      List<S3Function.CreatedObject> seen = new ArrayList<>();
      S3Function function = new S3Function() {
        @Override
        protected void objectCreated(CreatedObject object, Invocation invocation) {
          seen.add(object);
        }
      };

      assertThat(call(function, LambdaEvents.resource("events/s3-event.json"))).isEqualTo("null");
      assertThat(seen).singleElement().extracting(S3Function.CreatedObject::key).isEqualTo("test/key");
    }

    private String call(LeadcycleFunction<?, ?> function, String event) throws IOException {
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), answer, null);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
