package io.leadcycle.aws;

import io.leadcycle.runtime.Lazy;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.SlottedNudge;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * A nudge as an SQS {@code SendMessage} to its target's queue ({@code NOTIFICATION_NUDGE_QUEUE_URL},
 * {@code SCORING_NUDGE_QUEUE_URL}). On a FIFO queue (the template's) every nudge carries a message group
 * (its target's own, or a full rescoring's {@code rescoring-k}) and a deduplication id of the current epoch
 * second (in another group: the group and the second): SQS drops a second nudge with the same id within
 * its five-minute deduplication window, so at most one nudge per second and group is queued however many
 * writers nudge. A failed send is logged and swallowed ({@link SlottedNudge}).
 */
public final class SqsNudge extends SlottedNudge {

  private final Lazy<SqsSender> client;
  private final String queueUrl;
  private final boolean fifo;

  public SqsNudge(Target target, SqsSender sender, String queueUrl, Clock clock) {
    this(target, Lazy.of(() -> sender), queueUrl, clock);
  }

  private SqsNudge(Target target, Lazy<SqsSender> client, String queueUrl, Clock clock) {
    super(target, clock);
    this.client = client;
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl").trim();
    this.fifo = this.queueUrl.endsWith(".fifo");
  }

  /**
   * {@link Nudge#NONE} without the target's variable; otherwise a nudge to that queue whose sender (region,
   * credentials and endpoint from the Lambda environment, see {@link SqsSender}) is built on the first
   * nudge, as {@code SqsDeadLetters} does.
   */
  public static Nudge fromEnvironment(Target target, Map<String, String> env) {
    String url = env.get(target.queueUrlVariable());
    return url == null || url.isBlank() ? Nudge.NONE : to(target, url, env);
  }

  static SqsNudge to(Target target, String queueUrl, Map<String, String> env) {
    return new SqsNudge(target, Lazy.of(() -> SqsSender.fromEnvironment(env)), queueUrl, Clock.systemUTC());
  }

  @Override
  public void prime() {
    client.get();
  }

  @Override
  protected void deliver(String group, String deduplicationId, String body) {
    client.get().sendMessage(request(group, deduplicationId, body));
  }

  /** SendMessage's input as the JSON protocol writes it; a standard queue has no groups. */
  JsonObject request(String group, String deduplicationId, String body) {
    JsonObject request = new JsonObject().put("QueueUrl", queueUrl).put("MessageBody", body);
    if (fifo) {
      request.put("MessageGroupId", group).put("MessageDeduplicationId", deduplicationId);
    }
    return request;
  }

  @Override
  public String toString() {
    return "SqsNudge[" + target() + " " + queueUrl + "]";
  }
}
