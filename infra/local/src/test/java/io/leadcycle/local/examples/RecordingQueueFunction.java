package io.leadcycle.local.examples;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.SqsFunction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A queue function whose messages say how they go: {@code ok} succeeds, {@code flaky} is unavailable on
 * its first receive, {@code down} is always unavailable, {@code poison} is invalid input.
 */
public final class RecordingQueueFunction extends SqsFunction {

  public static final List<String> PROCESSED = new CopyOnWriteArrayList<>();
  /** Receive counts seen per body. */
  public static final Map<String, List<String>> RECEIVES = new ConcurrentHashMap<>();

  /** Refused messages go where the host's dead letters are (the local server installs its own). */
  public RecordingQueueFunction() {
    super(AwsResources.DEAD_LETTERS);
  }

  @Override
  protected void process(SQSMessage message, Invocation invocation) {
    String body = message.getBody();
    String receiveCount = message.getAttributes().get("ApproximateReceiveCount");
    RECEIVES.computeIfAbsent(body, b -> new CopyOnWriteArrayList<>()).add(receiveCount);
    if (body.equals("poison")) {
      throw new InvalidInput("body", "not a message this function understands");
    }
    if (body.equals("down") || body.equals("flaky") && receiveCount.equals("1")) {
      throw new Unavailable("the thing behind this function is down");
    }
    PROCESSED.add(body);
  }
}
