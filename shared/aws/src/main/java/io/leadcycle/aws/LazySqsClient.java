package io.leadcycle.aws;

import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An SQS client built on first use: a function that never sends (no message refused, nothing to
 * nudge) pays nothing for it at cold start. The default client takes region, credentials and endpoint
 * from the Lambda environment, as the SDK finds them.
 */
public final class LazySqsClient implements Supplier<SqsClient> {

  private final Supplier<SqsClient> factory;
  private volatile SqsClient client;

  private LazySqsClient(Supplier<SqsClient> factory) {
    this.factory = factory;
  }

  /** The environment's client, built on the first {@link #get}. */
  public static LazySqsClient fromEnvironment() {
    return new LazySqsClient(() -> SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build());
  }

  /** A given client (tests point one at a fake SQS endpoint). */
  public static LazySqsClient of(SqsClient client) {
    Objects.requireNonNull(client, "client");
    return new LazySqsClient(() -> client);
  }

  @Override
  public SqsClient get() {
    SqsClient current = client;
    if (current == null) {
      synchronized (this) {
        current = client;
        if (current == null) {
          current = factory.get();
          client = current;
        }
      }
    }
    return current;
  }
}
