package io.leadcycle.notifications;

import io.leadcycle.domain.WebhookUrlPolicy;
import io.leadcycle.runtime.JsonLog;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;

/**
 * Where webhooks may be sent, decided on the addresses a subscriber's host resolves to at send time
 * (DNS can change after the URL was accepted). The ranges are {@link WebhookUrlPolicy}'s, the same that
 * check a URL when it is saved: in AWS only {@code https} to public addresses; the local server, a
 * development host, also allows {@code http} and loopback.
 */
public interface TargetPolicy {

  /** Whether a connection to this (resolved) address is allowed. */
  boolean allows(InetAddress address);

  /** Whether plain {@code http} URLs are allowed (only on the local server). */
  boolean allowsHttp();

  /** Why this address is refused, for the attempt's error; null when it is allowed. */
  default String refusal(InetAddress address) {
    return allows(address) ? null : "address " + address.getHostAddress()
        + " is not allowed (not a public address)";
  }

  /** AWS: https only, public addresses only. */
  static TargetPolicy publicHttpsOnly() {
    return of(WebhookUrlPolicy.STRICT);
  }

  /** The local server: http too, and loopback; every other non-public range stays refused. */
  static TargetPolicy localServer() {
    return of(WebhookUrlPolicy.DEVELOPMENT);
  }

  /**
   * The policy of this execution environment: the local server's on a development host (the local server
   * sets {@link WebhookUrlPolicy#DEVELOPMENT_HOST_PROPERTY}) or with {@code NOTIFICATION_LOCAL_TARGETS=true},
   * else AWS's; in Lambda ({@code AWS_LAMBDA_FUNCTION_NAME} set) always AWS's, and a relaxation asked for
   * there is ignored with a warning in the log. A value other than true or false fails at once, naming the
   * variable.
   */
  static TargetPolicy fromEnvironment(java.util.Map<String, String> env) {
    String raw = env.getOrDefault("NOTIFICATION_LOCAL_TARGETS", "false").strip();
    if (!raw.equals("true") && !raw.equals("false") && !raw.isEmpty()) {
      throw new IllegalStateException("NOTIFICATION_LOCAL_TARGETS must be true or false (got \"" + raw + "\").");
    }
    boolean developmentHost = "true".equalsIgnoreCase(System.getProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY));
    WebhookUrlPolicy.Choice choice = WebhookUrlPolicy.choose(raw.equals("true") || developmentHost,
        raw.equals("true") ? "NOTIFICATION_LOCAL_TARGETS=true" : WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY + "=true",
        env);
    if (choice.warning() != null) {
      JsonLog.warn(null, choice.warning(), new JsonObject());
    }
    return of(choice.policy());
  }

  private static TargetPolicy of(WebhookUrlPolicy urls) {
    return new TargetPolicy() {
      @Override
      public boolean allows(InetAddress address) {
        return urls.isAllowed(address);
      }

      @Override
      public String refusal(InetAddress address) {
        String why = urls.refusal(address);
        return why == null ? null : "address " + address.getHostAddress() + " is not allowed: " + why;
      }

      @Override
      public boolean allowsHttp() {
        return urls.developmentHost();
      }
    };
  }
}
