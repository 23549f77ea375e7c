package io.leadcycle.domain;


import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where webhooks may go: URLs when they are stored, resolved addresses when they are sent. No DNS here. */
class WebhookUrlPolicyTest {

  private static final WebhookUrlPolicy AWS = WebhookUrlPolicy.STRICT;
  private static final WebhookUrlPolicy LOCAL = WebhookUrlPolicy.DEVELOPMENT;

  @ParameterizedTest
  @ValueSource(strings = {
      "https://hooks.example.com/leadcycle",
      "https://hooks.example.com:8443/a/b?c=d",
      "HTTPS://Hooks.Example.com/",
      "https://8.8.8.8/hook",
      "https://[2001:4860:4860::8888]/hook",
      "https://1.1.1.1",
      "https://example.com./x"})
  void publicHttpsUrlsAreAllowed(String url) {
    assertThat(AWS.violation(url)).isNull();
    assertThat(LOCAL.violation(url)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://hooks.example.com/leadcycle",         // not https
      "ftp://hooks.example.com/",
      "hooks.example.com/leadcycle",                // not absolute
      "/v1/hooks",
      "https:///path",                              // no host
      "https://user:pass@hooks.example.com/",       // credentials
      "https://user@hooks.example.com/",
      "https://hooks.example.com/#fragment",        // fragment
      "https://hooks.example.com/#",
      "https://hooks example.com/",                 // not a URL
      "https://localhost/hook",
      "https://LOCALHOST./hook",
      "https://api.localhost/hook",
      "https://127.0.0.1/hook",
      "https://127.1.2.3/hook",
      "https://[::1]/hook",
      "https://169.254.169.254/latest/meta-data/",  // the metadata address
      "https://169.254.0.1/",
      "https://[fe80::1]/",
      "https://10.0.0.1/",
      "https://172.16.0.1/",
      "https://172.31.255.255/",
      "https://192.168.1.1/",
      "https://[fc00::1]/",
      "https://[fd12:3456::1]/",
      "https://0.0.0.0/",
      "https://0.1.2.3/",
      "https://100.64.0.1/",
      "https://100.127.255.255/",
      "https://224.0.0.1/",
      "https://255.255.255.255/",
      "https://[ff02::1]/",
      "https://[::]/",
      "https://[::ffff:169.254.169.254]/",          // IPv4-mapped
      "https://[::ffff:10.0.0.1]/",
      "https://[64:ff9b::a9fe:a9fe]/",              // NAT64 of 169.254.169.254
      "https://[2002:a9fe:a9fe::1]/",               // 6to4 of 169.254.169.254
      "https://[::ffff:0:169.254.169.254]/",        // IPv4-translated
      "https://[64:ff9b:1::a9fe:a9fe]/",            // local-use NAT64
      "https://[2001::1]/",                         // Teredo
      "https://[100::1]/",                          // discard-only
      "https://[2001:db8::1]/",                     // documentation
      "https://192.0.2.1/",
      "https://198.51.100.1/",
      "https://203.0.113.1/",
      "https://192.88.99.1/",                       // 6to4 relay anycast
      "https://2130706433/",                        // 127.0.0.1 as one number
      "https://127.1/",
      "https://0x7f.0.0.1/",
      "https://0177.0.0.1/",
      "https://hooks.example.com:0/"})
  void urlsThatAreNotPublicHttpsAreRefusedInAws(String url) {
    assertThat(AWS.violation(url)).as(url).isNotNull();
  }

  @Test
  void aUrlLongerThan2000CharactersIsRefused() {
    String base = "https://hooks.example.com/";
    assertThat(AWS.violation(base + "a".repeat(2000 - base.length()))).isNull();
    assertThat(AWS.violation(base + "a".repeat(2001 - base.length()))).contains("2000");
  }

  @Test
  void theMessageSaysWhatIsWrong() {
    assertThat(AWS.violation("http://hooks.example.com/")).contains("https");
    assertThat(AWS.violation("https://u:p@hooks.example.com/")).contains("credentials");
    assertThat(AWS.violation("https://hooks.example.com/#x")).contains("fragment");
    assertThat(AWS.violation("https://169.254.169.254/")).contains("169.254.169.254");
    assertThat(AWS.violation("https://localhost/")).contains("localhost");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:9000/hook", "http://127.0.0.1:9000/hook", "https://[::1]/hook",
      "http://hooks.example.com/"})
  void aDevelopmentHostAlsoAllowsHttpAndLoopback(String url) {
    assertThat(LOCAL.violation(url)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://169.254.169.254/", "http://10.0.0.1/", "http://192.168.0.10/", "http://[fe80::1]/",
      "ftp://localhost/", "http://u:p@localhost/", "http://localhost/#x"})
  void aDevelopmentHostStillRefusesEveryOtherRange(String url) {
    assertThat(LOCAL.violation(url)).as(url).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1", "169.254.169.254", "10.1.2.3", "172.20.0.5", "192.168.10.10",
      "0.0.0.0", "100.100.100.200", "224.0.0.251", "255.255.255.255", "fe80::abcd", "fd00::1", "::",
      "::ffff:127.0.0.1", "::ffff:192.168.1.1", "ff05::2", "240.0.0.1"})
  void resolvedAddressesInForbiddenRangesAreRefused(String literal) throws Exception {
    InetAddress address = InetAddress.getByName(literal);
    assertThat(AWS.isAllowed(address)).as(literal).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "100.63.255.255", "100.128.0.1", "172.15.255.255",
      "172.32.0.1", "2001:4860:4860::8888", "2a00:1450:4001::200e"})
  void resolvedPublicAddressesAreAllowed(String literal) throws Exception {
    InetAddress address = InetAddress.getByName(literal);
    assertThat(AWS.isAllowed(address)).as(literal).isTrue();
    assertThat(LOCAL.isAllowed(address)).as(literal).isTrue();
  }

  @Test
  void aDevelopmentHostAllowsResolvedLoopbackOnly() throws Exception {
    assertThat(LOCAL.isAllowed(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(LOCAL.isAllowed(InetAddress.getByName("::1"))).isTrue();
    assertThat(LOCAL.isAllowed(InetAddress.getByName("169.254.169.254"))).isFalse();
    assertThat(LOCAL.isAllowed(InetAddress.getByName("10.0.0.1"))).isFalse();
  }

  @Test
  void theProcessPolicyFollowsTheDevelopmentHostProperty() {
    String before = System.getProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY);
    try {
      System.clearProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY);
      assertThat(WebhookUrlPolicy.current(java.util.Map.of()).policy()).isSameAs(WebhookUrlPolicy.STRICT);
      System.setProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY, "true");
      assertThat(WebhookUrlPolicy.current(java.util.Map.of()).policy()).isSameAs(WebhookUrlPolicy.DEVELOPMENT);
      assertThat(WebhookUrlPolicy.current(java.util.Map.of()).policy().developmentHost()).isTrue();
      // In Lambda the property cannot relax anything: ignored, with a warning for the log.
      WebhookUrlPolicy.Choice inLambda = WebhookUrlPolicy.current(java.util.Map.of("AWS_LAMBDA_FUNCTION_NAME", "f"));
      assertThat(inLambda.policy()).isSameAs(WebhookUrlPolicy.STRICT);
      assertThat(inLambda.warning()).contains(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY);
    } finally {
      if (before == null) {
        System.clearProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY);
      } else {
        System.setProperty(WebhookUrlPolicy.DEVELOPMENT_HOST_PROPERTY, before);
      }
    }
  }

  @Test
  void eventTypesAreTheOnesTheOutboxWrites() {
    assertThat(EventTypes.TYPES).containsExactly("lead.created", "lead.stage_changed", "lead.telemarketing_ready", "lead.sales_ready",
        "lead.converted", "lead.disqualified", "lead.score_changed", "lead.assigned",
        "lead.follow_up_due", "contact.segment_joined", "contact.segment_left", "contact.erased");
    assertThat(io.leadcycle.process.Transition.SALES_READY).isEqualTo(EventTypes.SALES_READY);
    assertThat(EventTypes.matches(java.util.List.of("*"), "lead.converted")).isTrue();
    assertThat(EventTypes.matches(java.util.List.of("lead.sales_ready"), "lead.converted")).isFalse();
    assertThat(EventTypes.matches(java.util.List.of("lead.sales_ready"), "lead.sales_ready")).isTrue();
  }
}
