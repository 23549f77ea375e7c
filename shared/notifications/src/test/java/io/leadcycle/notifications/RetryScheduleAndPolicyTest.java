package io.leadcycle.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.WebhookUrlPolicy;
import java.net.InetAddress;
import java.util.Map;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The retry delays with their jitter, Retry-After, and which addresses each policy allows. */
class RetryScheduleAndPolicyTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  @Test
  void attemptNWaitsTheNthDelayWithinTwentyPercentThenFails() {
    RetrySchedule low = new RetrySchedule(() -> 0.0);
    RetrySchedule high = new RetrySchedule(() -> 0.999999);
    for (int n = 1; n < RetrySchedule.MAX_ATTEMPTS; n++) {
      long delay = RetrySchedule.DELAYS.get(n - 1).toMillis();
      assertThat(Duration.between(NOW, low.next(n, NOW, null)).toMillis()).isEqualTo(Math.round(delay * 0.8));
      assertThat(Duration.between(NOW, high.next(n, NOW, null)).toMillis()).isBetween(Math.round(delay * 1.19), Math.round(delay * 1.2));
    }
    assertThat(low.next(RetrySchedule.MAX_ATTEMPTS, NOW, null)).isNull();
    assertThat(RetrySchedule.DELAYS).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
        Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(24));
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDateCappedAtADay() {
    assertThat(RetrySchedule.parseRetryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetrySchedule.parseRetryAfter("Fri, 27 Nov 2026 11:00:00 GMT", NOW)).isEqualTo(Duration.ofHours(1));
    assertThat(RetrySchedule.parseRetryAfter("Fri, 27 Nov 2026 09:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
    assertThat(RetrySchedule.parseRetryAfter("soon", NOW)).isNull();
    assertThat(RetrySchedule.parseRetryAfter(null, NOW)).isNull();
    assertThat(new RetrySchedule(() -> 0.5).next(1, NOW, Duration.ofDays(3))).isEqualTo(NOW.plus(Duration.ofHours(24)));
  }

  @Test
  void theAwsPolicyAllowsOnlyPublicUnicastAddresses() throws Exception {
    TargetPolicy aws = TargetPolicy.publicHttpsOnly();
    for (String refused : new String[] {"127.0.0.1", "127.1.2.3", "169.254.169.254", "10.1.2.3", "172.16.0.1",
        "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1",
        "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "fd00:ec2::254",
        // What a probe found let through before the policy followed IANA's special-purpose registries:
        "::ffff:0:a9fe:a9fe", "64:ff9b:1::a9fe:a9fe", "2001::1", "100::1", "2001:db8::1", "192.0.2.1",
        "198.51.100.1", "203.0.113.1", "192.88.99.1"}) {
      assertThat(aws.allows(InetAddress.getByName(refused))).as(refused).isFalse();
    }
    for (String allowed : new String[] {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111"}) {
      assertThat(aws.allows(InetAddress.getByName(allowed))).as(allowed).isTrue();
    }
    assertThat(aws.allowsHttp()).isFalse();
  }

  @Test
  void theLocalServerAlsoAllowsHttpAndLoopbackButNotTheRest() throws Exception {
    TargetPolicy local = TargetPolicy.localServer();
    assertThat(local.allowsHttp()).isTrue();
    assertThat(local.allows(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(local.allows(InetAddress.getByName("::1"))).isTrue();
    assertThat(local.allows(InetAddress.getByName("169.254.169.254"))).isFalse();
    assertThat(local.allows(InetAddress.getByName("10.0.0.1"))).isFalse();
  }

  @Test
  void theRefusalNamesTheBlock() throws Exception {
    assertThat(TargetPolicy.publicHttpsOnly().refusal(InetAddress.getByName("169.254.169.254")))
        .isEqualTo("address 169.254.169.254 is not allowed: in 169.254.0.0/16 Link Local (RFC 3927)");
  }

  @Test
  void inLambdaNoVariableOrPropertyRelaxesThePolicy() {
    Map<String, String> lambda = Map.of("AWS_LAMBDA_FUNCTION_NAME", "leadcycle-threshold", "NOTIFICATION_LOCAL_TARGETS",
        "true");
    assertThat(TargetPolicy.fromEnvironment(lambda).allowsHttp()).isFalse();
    assertThat(TargetPolicy.fromEnvironment(Map.of("NOTIFICATION_LOCAL_TARGETS", "true")).allowsHttp()).isTrue();
    String before = System.getProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY);
    try {
      System.setProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY, "true");
      assertThat(TargetPolicy.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_NAME", "f")).allowsHttp()).isFalse();
      assertThat(TargetPolicy.fromEnvironment(Map.of()).allowsHttp()).isTrue();
    } finally {
      if (before == null) {
        System.clearProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY);
      } else {
        System.setProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY, before);
      }
    }
  }
}
