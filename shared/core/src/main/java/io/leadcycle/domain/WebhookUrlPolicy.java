package io.leadcycle.domain;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a subscriber's webhooks may go, so that Leadcycle cannot be made to call into its own network
 * (server-side request forgery): an absolute {@code https} URL with a host name, at most
 * {@value #MAX_LENGTH} characters, without user info or fragment, whose host is neither {@code localhost}
 * nor an IP literal that {@link #refusal(InetAddress)} refuses: one in a block of IANA's special-purpose
 * registries that is not globally reachable ({@link SpecialPurposeAddresses}: loopback, link-local with the
 * cloud metadata address 169.254.169.254, private, shared, documentation, benchmarking, translation...),
 * multicast, broadcast, or IPv6 outside the global unicast space.
 *
 * <p>Checking the URL when it is stored is not enough: a host name may resolve to a forbidden address,
 * today or after a DNS change. Whoever sends must therefore resolve the host, check <b>every</b> resolved
 * address with {@link #isAllowed(InetAddress)}, connect to the address it checked (not resolve again), and
 * not follow redirects.
 *
 * <p>A development host (the local server) also allows {@code http} and loopback targets
 * ({@code localhost}, 127.0.0.0/8, ::1), so that a receiver on the developer's machine can be tried; every
 * other range stays forbidden there too. {@link #current(Map)} decides from the system property
 * {@value #DEVELOPMENT_HOST_PROPERTY}, which the local server sets at its start, and never in Lambda
 * ({@code AWS_LAMBDA_FUNCTION_NAME} set): there the property is ignored, with a warning.
 *
 * <p>Pure: no name is ever resolved here.
 */
public final class WebhookUrlPolicy {

  public static final int MAX_LENGTH = 2000;

  /** Set to {@code true} by the local server: this process is a development host. */
  public static final String DEVELOPMENT_HOST_PROPERTY = "leadcycle.developmentHost";

  /** The rules in AWS: {@code https} to public addresses only. */
  public static final WebhookUrlPolicy STRICT = new WebhookUrlPolicy(false);

  /** The rules on a development host: also {@code http} and loopback. */
  public static final WebhookUrlPolicy DEVELOPMENT = new WebhookUrlPolicy(true);

  /** Something that looks like an IPv4 address in any notation resolvers accept (127.1, 0x7f.0.0.1, 2130706433). */
  private static final Pattern NUMERIC_HOST = Pattern.compile("^(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?$");
  private static final Pattern DOTTED_QUAD = Pattern.compile(
      "^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$");

  private final boolean developmentHost;

  private WebhookUrlPolicy(boolean developmentHost) {
    this.developmentHost = developmentHost;
  }

  /** Set by Lambda in every function's environment: where it is, this process runs in AWS. */
  public static final String LAMBDA_VARIABLE = "AWS_LAMBDA_FUNCTION_NAME";

  /**
   * A process's policy, and the warning to log when a relaxation was asked for where none may be (null
   * when there is nothing to warn about).
   */
  public record Choice(WebhookUrlPolicy policy, String warning) {
  }

  /**
   * The policy of this process: {@link #DEVELOPMENT} when {@value #DEVELOPMENT_HOST_PROPERTY} is {@code true}
   * and the process is not a Lambda function. (Whoever calls it logs the {@link Choice#warning()}.)
   */
  public static Choice current(Map<String, String> env) {
    return choose("true".equalsIgnoreCase(System.getProperty(DEVELOPMENT_HOST_PROPERTY)),
        DEVELOPMENT_HOST_PROPERTY + "=true", env);
  }

  /**
   * {@link #DEVELOPMENT} when {@code relaxationAsked}, unless {@code env} is a Lambda function's
   * ({@value #LAMBDA_VARIABLE} set): there a relaxation is impossible, and asking for it gives
   * {@link #STRICT} with a warning naming {@code what} was ignored.
   */
  public static Choice choose(boolean relaxationAsked, String what, Map<String, String> env) {
    if (!relaxationAsked) {
      return new Choice(STRICT, null);
    }
    String function = env.get(LAMBDA_VARIABLE);
    if (function != null && !function.isBlank()) {
      return new Choice(STRICT, what + " is ignored in Lambda (" + LAMBDA_VARIABLE + "=" + function
          + "): webhooks go to public https addresses only");
    }
    return new Choice(DEVELOPMENT, null);
  }

  /** Whether {@code http} and loopback targets are allowed (a development host). */
  public boolean developmentHost() {
    return developmentHost;
  }

  /**
   * What is wrong with {@code url} as a webhook target, as a message for the {@code url} field, or null
   * when it is allowed (as far as can be told without resolving its host).
   */
  public String violation(String url) {
    if (url.length() > MAX_LENGTH) {
      return "longer than " + MAX_LENGTH + " characters";
    }
    String https = developmentHost ? "an absolute http(s) URL" : "an absolute https URL";
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "not a valid URL: " + https + " such as https://hooks.example.com/leadcycle";
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !(scheme.equals("https") || developmentHost && scheme.equals("http"))) {
      return "must be " + https + (developmentHost ? "" : " (http is allowed only on the local server)");
    }
    if (uri.getRawFragment() != null || url.contains("#")) {
      return "must not have a fragment (#...): it is never sent";
    }
    if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
      return "must not carry credentials (user:password@): the webhook signature authenticates Leadcycle";
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return "must have a host name, e.g. https://hooks.example.com/leadcycle";
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      return "the port must be from 1 to 65535";
    }
    return hostViolation(uri.getHost());
  }

  private String hostViolation(String rawHost) {
    String host = rawHost.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return developmentHost ? null : "must not name localhost: webhooks go to public addresses only";
    }
    if (host.startsWith("[")) {
      String literal = host.substring(1, host.length() - 1);
      if (literal.contains("%")) {
        return "must not have an IPv6 zone id";
      }
      return literalViolation(literal);
    }
    if (NUMERIC_HOST.matcher(host).matches()) {
      if (!DOTTED_QUAD.matcher(host).matches()) {
        return "an IPv4 address must be written as four decimal numbers (a.b.c.d)";
      }
      return literalViolation(host);
    }
    return null;
  }

  private String literalViolation(String literal) {
    InetAddress address;
    try {
      address = InetAddress.getByName(literal); // an IP literal: parsed, never looked up
    } catch (UnknownHostException | SecurityException e) {
      return "not a valid IP address";
    }
    String refusal = refusal(address);
    return refusal == null ? null
        : "must not be an address " + refusal + " (" + address.getHostAddress() + "): webhooks go to public"
            + " addresses only";
  }

  /**
   * Whether a webhook may be sent to {@code address}: the check the sender applies to every address its
   * target's host resolves to, at send time (DNS can change after the URL was stored).
   */
  public boolean isAllowed(InetAddress address) {
    return refusal(address) == null;
  }

  /**
   * Why a webhook may not go to {@code address}, naming the block of {@link SpecialPurposeAddresses} it is
   * in ("in 169.254.0.0/16 Link Local (RFC 3927)"); null when it may.
   *
   * <p>Refused: an address in a row that is not globally reachable (the most specific row decides), and
   * every IPv6 address outside the global unicast space 2000::/3. Two IPv6 forms carry an IPv4 address
   * that is checked instead: IPv4-mapped ({@code ::ffff:a.b.c.d}, which the JVM already reads as the IPv4
   * address) and NAT64's well-known prefix 64:ff9b::/96 — what DNS64 answers for a public IPv4-only host
   * in an IPv6-only subnet, so refusing it whole would refuse public receivers. Every other form that
   * embeds or translates an IPv4 address is refused whole: IPv4-translated ({@code ::ffff:0:a.b.c.d}),
   * IPv4-compatible ({@code ::a.b.c.d}), the local-use NAT64 prefix 64:ff9b:1::/48, 6to4 (2002::/16) and
   * Teredo (2001::/32).
   */
  public String refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (developmentHost && address.isLoopbackAddress()) {
      return null;
    }
    if (address instanceof Inet4Address) {
      return refusalOf(bytes);
    }
    if (NAT64.contains(bytes) || IPV4_MAPPED.contains(bytes)) {
      Inet4Address embedded = SpecialPurposeAddresses.lastFourBytes(bytes);
      String refusal = refusal(embedded);
      return refusal == null ? null : refusal + ", as " + embedded.getHostAddress() + " inside " + (NAT64.contains(bytes)
          ? NAT64 : IPV4_MAPPED);
    }
    String refusal = refusalOf(bytes);
    if (refusal == null && !SpecialPurposeAddresses.GLOBAL_UNICAST.contains(bytes)) {
      return "outside the IPv6 global unicast space " + SpecialPurposeAddresses.GLOBAL_UNICAST.cidr();
    }
    return refusal;
  }

  private static final SpecialPurposeAddresses.Block NAT64 = block("64:ff9b::/96");
  private static final SpecialPurposeAddresses.Block IPV4_MAPPED = block("::ffff:0:0/96");

  private static SpecialPurposeAddresses.Block block(String cidr) {
    return SpecialPurposeAddresses.ALL.stream().filter(b -> b.cidr().equals(cidr)).findFirst().orElseThrow();
  }

  private static String refusalOf(byte[] bytes) {
    SpecialPurposeAddresses.Block block = SpecialPurposeAddresses.of(bytes);
    return block == null || block.globallyReachable() ? null : "in " + block;
  }
}
