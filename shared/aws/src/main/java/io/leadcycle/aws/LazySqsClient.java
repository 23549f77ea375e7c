package io.leadcycle.aws;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An SQS sender built on first use, from the Lambda environment ({@link SqsSender#fromEnvironment}): a
 * function that never sends (no message refused, nothing to nudge) needs no region for it, and one
 * without it fails the send, not its start.
 */
public final class LazySqsClient implements Supplier<SqsSender> {

  private final Supplier<SqsSender> factory;
  private volatile SqsSender sender;

  private LazySqsClient(Supplier<SqsSender> factory) {
    this.factory = factory;
  }

  /** The sender {@code env} describes, built on the first {@link #get}. */
  public static LazySqsClient fromEnvironment(Map<String, String> env) {
    return new LazySqsClient(() -> SqsSender.fromEnvironment(env));
  }

  /** A given sender (tests point one at a fake SQS endpoint). */
  public static LazySqsClient of(SqsSender sender) {
    Objects.requireNonNull(sender, "sender");
    return new LazySqsClient(() -> sender);
  }

  @Override
  public SqsSender get() {
    SqsSender current = sender;
    if (current == null) {
      synchronized (this) {
        current = sender;
        if (current == null) {
          current = factory.get();
          sender = current;
        }
      }
    }
    return current;
  }
}
