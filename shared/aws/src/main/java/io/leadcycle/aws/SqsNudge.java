package io.leadcycle.aws;

import io.leadcycle.runtime.Lazy;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.JsonLog;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * A nudge as an SQS {@code SendMessage} to the notification-nudge queue. On a FIFO queue (the
 * template's) every nudge carries the fixed message group {@value #MESSAGE_GROUP} and the current
 * epoch second as its deduplication id: SQS drops a second nudge with the same id within its
 * five-minute deduplication window, so at most one nudge per second is queued however many writers
 * nudge. A failed send is logged and swallowed: the schedule delivers what the nudge would have.
 */
public final class SqsNudge implements Nudge {

  public static final String MESSAGE_GROUP = "leadcycle-notification-nudge";

  private final Lazy<SqsSender> client;
  private final String queueUrl;
  private final boolean fifo;
  private final Clock clock;

  public SqsNudge(SqsSender sender, String queueUrl, Clock clock) {
    this(Lazy.of(() -> sender), queueUrl, clock);
  }

  private SqsNudge(Lazy<SqsSender> client, String queueUrl, Clock clock) {
    this.client = client;
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl").trim();
    this.fifo = this.queueUrl.endsWith(".fifo");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * {@link Nudge#NONE} without {@code NOTIFICATION_NUDGE_QUEUE_URL}; otherwise a nudge to that queue whose
   * sender (region, credentials and endpoint from the Lambda environment, see {@link SqsSender}) is built on
   * the first nudge, as {@code SqsDeadLetters} does.
   */
  public static Nudge fromEnvironment(Map<String, String> env) {
    String url = env.get(Nudge.QUEUE_URL_VARIABLE);
    return url == null || url.isBlank() ? Nudge.NONE : to(url, env);
  }

  static SqsNudge to(String queueUrl, Map<String, String> env) {
    return new SqsNudge(Lazy.of(() -> SqsSender.fromEnvironment(env)), queueUrl, Clock.systemUTC());
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

  /** SendMessage's input as the JSON protocol writes it. */
  JsonObject request(String reason) {
    JsonObject request = new JsonObject()
        .put("QueueUrl", queueUrl)
        .put("MessageBody", new JsonObject().put("reason", reason == null ? "outbox" : reason).encode());
    if (fifo) {
      request.put("MessageGroupId", MESSAGE_GROUP)
          .put("MessageDeduplicationId", Long.toString(clock.instant().getEpochSecond()));
    }
    return request;
  }

  @Override
  public String toString() {
    return "SqsNudge[" + queueUrl + "]";
  }
}
