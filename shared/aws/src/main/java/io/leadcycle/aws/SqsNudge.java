package io.leadcycle.aws;

import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.JsonLog;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * A nudge as an SQS {@code SendMessage} to the notification-nudge queue. On a FIFO queue (the
 * template's) every nudge carries the fixed message group {@value #MESSAGE_GROUP} and the current
 * epoch second as its deduplication id: SQS drops a second nudge with the same id within its
 * five-minute deduplication window, so at most one nudge per second is queued however many writers
 * nudge. A failed send is logged and swallowed: the schedule delivers what the nudge would have.
 */
public final class SqsNudge implements Nudge {

  public static final String MESSAGE_GROUP = "leadcycle-notification-nudge";

  private final LazySqsClient client;
  private final String queueUrl;
  private final boolean fifo;
  private final Clock clock;

  public SqsNudge(SqsClient client, String queueUrl, Clock clock) {
    this(LazySqsClient.of(client), queueUrl, clock);
  }

  private SqsNudge(LazySqsClient client, String queueUrl, Clock clock) {
    this.client = client;
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl").trim();
    this.fifo = this.queueUrl.endsWith(".fifo");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A nudge to {@code queueUrl} whose client (region, credentials and endpoint from the Lambda
   * environment, as the SDK finds them) is built on the first nudge, as {@code SqsDeadLetters} does.
   */
  /** {@link Nudge#NONE} without {@code NOTIFICATION_NUDGE_QUEUE_URL}; otherwise a nudge sent to that queue. */
  public static Nudge fromEnvironment(Map<String, String> env) {
    String url = env.get(Nudge.QUEUE_URL_VARIABLE);
    return url == null || url.isBlank() ? Nudge.NONE : to(url);
  }

  static SqsNudge to(String queueUrl) {
    return new SqsNudge(LazySqsClient.fromEnvironment(), queueUrl, Clock.systemUTC());
  }

  @Override
  public void prime() {
    client.get();
  }

  @Override
  public void send(String reason) {
    try {
      client.get().sendMessage(request(reason));
    } catch (RuntimeException e) {
      JsonLog.warn(null, "could not nudge threshold notification; the schedule will deliver instead",
          new JsonObject().put("queue", queueUrl).put("reason", reason)
              .put("error", e.getClass().getName() + ": " + e.getMessage()));
    }
  }

  SendMessageRequest request(String reason) {
    SendMessageRequest.Builder request = SendMessageRequest.builder()
        .queueUrl(queueUrl)
        .messageBody(new JsonObject().put("reason", reason == null ? "outbox" : reason).encode());
    if (fifo) {
      request.messageGroupId(MESSAGE_GROUP)
          .messageDeduplicationId(Long.toString(clock.instant().getEpochSecond()));
    }
    return request.build();
  }

  @Override
  public String toString() {
    return "SqsNudge[" + queueUrl + "]";
  }
}
