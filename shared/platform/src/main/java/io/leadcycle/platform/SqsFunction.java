package io.leadcycle.platform;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.runtime.Metric;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The queue trigger kind: an SQS batch in, a partial batch response out (the event source mapping
 * needs {@code FunctionResponseTypes: [ReportBatchItemFailures]}). Each message is processed on its
 * own, and its failure is its alone:
 * <ul>
 *   <li>unavailable or a bug: reported in {@code batchItemFailures}, so SQS delivers it again after the
 *       visibility timeout, and the queue's redrive policy moves it to the dead-letter queue after a
 *       few receives;</li>
 *   <li>a client error (malformed, unknown record, conflict): retrying cannot help, so it is parked in
 *       the dead-letter queue at once ({@link DeadLetters}) with its reason and not reported; when it
 *       cannot be parked, it is reported and the redrive policy ends it.</li>
 * </ul>
 * On a FIFO queue the first failure stops the batch: the rest is reported unprocessed, to keep order.
 */
public abstract class SqsFunction extends LeadcycleFunction<SQSEvent, SQSBatchResponse> {

  private final Supplier<DeadLetters> deadLetters;

  /** Refused messages go to {@code deadLetters}, asked for on the first refusal (Lambda's: {@code AwsResources.DEAD_LETTERS}). */
  protected SqsFunction(Supplier<DeadLetters> deadLetters) {
    this.deadLetters = deadLetters;
  }

  /** Processes one message; throws a domain failure when it cannot. Must be safe to run twice. */
  protected abstract void process(SQSMessage message, Invocation invocation);

  @Override
  public final Class<SQSEvent> eventType() {
    return SQSEvent.class;
  }

  @Override
  protected final SQSEvent readEvent(JsonObject json) {
    return LambdaEventJson.sqsEvent(json);
  }

  @Override
  protected final String writeAnswer(SQSBatchResponse answer) {
    return LambdaEventJson.batchResponse(answer).encode();
  }

  @Override
  protected final SQSBatchResponse handle(SQSEvent event, Invocation invocation) {
    List<SQSMessage> messages = event == null || event.getRecords() == null ? List.of() : event.getRecords();
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    int parked = 0;
    for (SQSMessage message : messages) {
      if (!failures.isEmpty() && isFifo(message)) {
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        continue;
      }
      JsonObject about = new JsonObject().put("messageId", message.getMessageId())
          .put("receiveCount", message.getAttributes() == null ? null
              : message.getAttributes().get("ApproximateReceiveCount"));
      try {
        process(message, invocation);
      } catch (Exception | Error thrown) {
        Failure failure = Failure.of(thrown);
        if (failure.kind().isClientError() && deadLetters.get().park(message, failure.message())) {
          invocation.failed("message refused and moved to the dead-letter queue", failure, about);
          parked++;
        } else {
          invocation.failed("message failed; reported in batchItemFailures, for SQS to deliver again", failure, about);
          failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        }
      }
    }
    invocation.put("messages", messages.size()).put("failed", failures.size()).put("deadLettered", parked);
    invocation.metrics().count(Metric.QUEUE_MESSAGES_PARKED, parked);
    return new SQSBatchResponse(failures);
  }

  /** {@link #handle} catches each message's failure, so this is a failure outside any message: retry them all. */
  @Override
  protected final SQSBatchResponse onFailure(SQSEvent event, Failure failure, Invocation invocation) {
    invocation.failed("batch failed", failure, null);
    List<SQSBatchResponse.BatchItemFailure> all = new ArrayList<>();
    if (event != null && event.getRecords() != null) {
      event.getRecords().forEach(m -> all.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId())));
    }
    return new SQSBatchResponse(all);
  }

  private static boolean isFifo(SQSMessage message) {
    return message.getEventSourceArn() != null && message.getEventSourceArn().endsWith(".fifo");
  }
}
