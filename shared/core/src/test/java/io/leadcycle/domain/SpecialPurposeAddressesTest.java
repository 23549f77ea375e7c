package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every row of the address table, one by one: an address inside it is refused (or, for the rows the
 * registries call globally reachable, allowed), and the public neighbours just outside it are allowed.
 * The expectations are written here by hand, not derived from the table.
 */
class SpecialPurposeAddressesTest {

  private static final WebhookUrlPolicy AWS = WebhookUrlPolicy.STRICT;

  /** block | an address inside | what the policy says of it | public neighbours just outside (space-separated). */
  private static final String ROWS = """
      0.0.0.0/8          | 0.1.2.3            | refused | 1.0.0.0
      0.0.0.0/32         | 0.0.0.0            | refused |
      10.0.0.0/8         | 10.20.30.40        | refused | 9.255.255.255 11.0.0.0
      100.64.0.0/10      | 100.100.100.200    | refused | 100.63.255.255 100.128.0.0
      127.0.0.0/8        | 127.1.2.3          | refused | 126.255.255.255 128.0.0.0
      169.254.0.0/16     | 169.254.169.254    | refused | 169.253.255.255 169.255.0.0
      172.16.0.0/12      | 172.20.0.5         | refused | 172.15.255.255 172.32.0.0
      192.0.0.0/24       | 192.0.0.100        | refused | 191.255.255.255 192.0.1.0
      192.0.0.0/29       | 192.0.0.1          | refused |
      192.0.0.8/32       | 192.0.0.8          | refused |
      192.0.0.9/32       | 192.0.0.9          | allowed |
      192.0.0.10/32      | 192.0.0.10         | allowed |
      192.0.0.170/32     | 192.0.0.170        | refused |
      192.0.0.171/32     | 192.0.0.171        | refused |
      192.0.2.0/24       | 192.0.2.1          | refused | 192.0.1.255 192.0.3.0
      192.31.196.0/24    | 192.31.196.1       | allowed | 192.31.195.255 192.31.197.0
      192.52.193.0/24    | 192.52.193.1       | allowed | 192.52.192.255 192.52.194.0
      192.88.99.0/24     | 192.88.99.1        | refused | 192.88.98.255 192.88.100.0
      192.168.0.0/16     | 192.168.1.1        | refused | 192.167.255.255 192.169.0.0
      192.175.48.0/24    | 192.175.48.1       | allowed | 192.175.47.255 192.175.49.0
      198.18.0.0/15      | 198.19.255.254     | refused | 198.17.255.255 198.20.0.0
      198.51.100.0/24    | 198.51.100.7       | refused | 198.51.99.255 198.51.101.0
      203.0.113.0/24     | 203.0.113.9        | refused | 203.0.112.255 203.0.114.0
      240.0.0.0/4        | 240.0.0.1          | refused |
      255.255.255.255/32 | 255.255.255.255    | refused |
      224.0.0.0/4        | 224.0.0.251        | refused | 223.255.255.255
      ::1/128            | ::1                | refused |
      ::/128             | ::                 | refused |
      ::ffff:0:0/96      | ::ffff:169.254.169.254 | refused |
      64:ff9b::/96       | 64:ff9b::a9fe:a9fe | refused |
      64:ff9b:1::/48     | 64:ff9b:1::808:808 | refused |
      100::/64           | 100::1             | refused |
      100:0:0:1::/64     | 100:0:0:1::1       | refused |
      2001::/23          | 2001:100::1        | refused | 2001:200::1
      2001::/32          | 2001:0:4136:e378:8000:63bf:3fff:fdd2 | refused |
      2001:1::1/128      | 2001:1::1          | allowed |
      2001:1::2/128      | 2001:1::2          | allowed |
      2001:1::3/128      | 2001:1::3          | allowed |
      2001:2::/48        | 2001:2::1          | refused |
      2001:3::/32        | 2001:3::1          | allowed |
      2001:4:112::/48    | 2001:4:112::1      | allowed |
      2001:10::/28       | 2001:10::1         | refused |
      2001:20::/28       | 2001:20::1         | allowed |
      2001:30::/28       | 2001:30::1         | allowed |
      2001:db8::/32      | 2001:db8::1        | refused | 2001:db7:ffff:ffff:ffff:ffff:ffff:ffff 2001:db9::
      2002::/16          | 2002:a9fe:a9fe::1  | refused | 2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff 2003::1
      2620:4f:8000::/48  | 2620:4f:8000::1    | allowed | 2620:4f:7fff:ffff:ffff:ffff:ffff:ffff 2620:4f:8001::
      3fff::/20          | 3fff::1            | refused | 3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff 3fff:1000::1
      5f00::/16          | 5f00::1            | refused |
      fc00::/7           | fd12:3456::1       | refused |
      fe80::/10          | fe80::1            | refused |
      ff00::/8           | ff02::1            | refused |
      ::/96              | ::a9fe:a9fe        | refused |
      ::ffff:0:0:0/96    | ::ffff:0:169.254.169.254 | refused |
      fec0::/10          | fec0::1            | refused |
      """;

  @ParameterizedTest(name = "{0}: {1} {2}, neighbours {3}")
  @CsvSource(delimiter = '|', textBlock = ROWS)
  void anAddressInsideABlockIsRefusedAndItsPublicNeighboursAreAllowed(String cidr, String inside, String verdict,
      String neighbours) throws Exception {
    SpecialPurposeAddresses.Block block = SpecialPurposeAddresses.ALL.stream()
        .filter(b -> b.cidr().equals(cidr)).findFirst().orElseThrow(() -> new AssertionError("no row " + cidr));
    InetAddress address = address(inside);
    assertThat(block.contains(address.getAddress())).as(inside + " inside " + cidr).isTrue();
    assertThat(AWS.isAllowed(address)).as(inside).isEqualTo(verdict.equals("allowed"));
    assertThat(AWS.violation("https://" + (inside.contains(":") ? "[" + inside + "]" : inside) + "/hook"))
        .as("the URL with " + inside).matches(v -> (v == null) == verdict.equals("allowed"));
    if (neighbours != null) {
      for (String neighbour : neighbours.split(" +")) {
        assertThat(block.contains(address(neighbour).getAddress())).as(neighbour + " outside " + cidr).isFalse();
        assertThat(AWS.isAllowed(address(neighbour))).as(neighbour + " next to " + cidr).isTrue();
      }
    }
  }

  @Test
  void everyRowOfTheTableIsTestedAbove() {
    Set<String> tested = new HashSet<>();
    Arrays.stream(ROWS.split("\n")).filter(line -> !line.isBlank())
        .forEach(line -> tested.add(line.split("\\|")[0].strip()));
    assertThat(tested).containsExactlyInAnyOrderElementsOf(
        SpecialPurposeAddresses.ALL.stream().map(SpecialPurposeAddresses.Block::cidr).toList());
  }

  @Test
  void theMostSpecificRowDecides() throws Exception {
    assertThat(SpecialPurposeAddresses.of(address("192.0.0.10").getAddress()).name()).contains("Traversal");
    assertThat(SpecialPurposeAddresses.of(address("192.0.0.11").getAddress()).cidr()).isEqualTo("192.0.0.0/24");
    assertThat(AWS.isAllowed(address("192.0.0.11"))).isFalse();
    assertThat(SpecialPurposeAddresses.of(address("2001:1::4").getAddress()).cidr()).isEqualTo("2001::/23");
    assertThat(SpecialPurposeAddresses.of(address("8.8.8.8").getAddress())).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"4000::1", "1::1", "8000::1", "e000::1", "fbff::1", "::1:0:0:1", "::ffff:1:0:0:1"})
  void ipv6OutsideTheGlobalUnicastSpaceIsRefused(String literal) throws Exception {
    assertThat(AWS.refusal(address(literal))).as(literal).contains("2000::/3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "2001:4860:4860::8888", "2a00:1450:4001::200e",
      "2606:4700::1111", "64:ff9b::5db8:d822", "64:ff9b::808:808", "::ffff:8.8.8.8"})
  void publicAddressesAreAllowedAlsoInsideNat64AndIpv4Mapped(String literal) throws Exception {
    assertThat(AWS.refusal(address(literal))).as(literal).isNull();
  }

  @Test
  void theRefusalNamesTheBlockAndForAnEmbeddedAddressTheIpv4() throws Exception {
    assertThat(AWS.refusal(address("169.254.169.254"))).isEqualTo("in 169.254.0.0/16 Link Local (RFC 3927)");
    assertThat(AWS.refusal(address("64:ff9b::a9fe:a9fe")))
        .isEqualTo("in 169.254.0.0/16 Link Local (RFC 3927), as 169.254.169.254 inside 64:ff9b::/96"
            + " IPv4-IPv6 Translat. (RFC 6052)");
    assertThat(AWS.refusal(address("2001:db8::1"))).isEqualTo("in 2001:db8::/32 Documentation (RFC 3849)");
    assertThat(AWS.violation("https://[::ffff:0:169.254.169.254]/"))
        .contains("::ffff:0:0:0/96 IPv4-translated (RFC 2765)");
  }

  @Test
  void aDevelopmentHostAllowsLoopbackAndNothingElseOfTheTable() throws Exception {
    WebhookUrlPolicy local = WebhookUrlPolicy.DEVELOPMENT;
    assertThat(local.isAllowed(address("127.0.0.1"))).isTrue();
    assertThat(local.isAllowed(address("::1"))).isTrue();
    assertThat(local.isAllowed(address("64:ff9b::7f00:1"))).isTrue();
    for (String other : List.of("169.254.169.254", "10.0.0.1", "192.0.2.1", "2001:db8::1", "64:ff9b:1::1", "fe80::1")) {
      assertThat(local.isAllowed(address(other))).as(other).isFalse();
    }
  }

  @Test
  void inLambdaARelaxationIsIgnoredWithAWarning() {
    Map<String, String> lambda = Map.of("AWS_LAMBDA_FUNCTION_NAME", "leadcycle-subscribers");
    WebhookUrlPolicy.Choice inLambda = WebhookUrlPolicy.choose(true, "NOTIFICATION_LOCAL_TARGETS=true", lambda);
    assertThat(inLambda.policy()).isSameAs(WebhookUrlPolicy.STRICT);
    assertThat(inLambda.warning()).contains("NOTIFICATION_LOCAL_TARGETS=true is ignored in Lambda");

    WebhookUrlPolicy.Choice local = WebhookUrlPolicy.choose(true, "NOTIFICATION_LOCAL_TARGETS=true", Map.of());
    assertThat(local.policy()).isSameAs(WebhookUrlPolicy.DEVELOPMENT);
    assertThat(local.warning()).isNull();

    WebhookUrlPolicy.Choice notAsked = WebhookUrlPolicy.choose(false, "x", lambda);
    assertThat(notAsked.policy()).isSameAs(WebhookUrlPolicy.STRICT);
    assertThat(notAsked.warning()).isNull();
  }

  /**
   * An address from its literal; an IPv4-mapped literal stays IPv6 (the JVM would make it IPv4), as a
   * resolver or a byte-built address could hand it over.
   */
  static InetAddress address(String literal) throws Exception {
    InetAddress parsed = InetAddress.getByName(literal);
    if (literal.contains(":") && parsed instanceof Inet4Address) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
      return Inet6Address.getByAddress(null, mapped, -1);
    }
    return parsed;
  }
}
