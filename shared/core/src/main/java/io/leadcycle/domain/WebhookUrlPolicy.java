package io.leadcycle.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a subscriber's webhooks may go, so that Leadcycle cannot be made to call into its own network
 * (server-side request forgery): an absolute {@code https} URL with a host name, at most
 * {@value #MAX_LENGTH} characters, without user info or fragment, whose host is neither {@code localhost}
 * nor an IP literal in a forbidden range — loopback, link-local (the cloud metadata address
 * 169.254.169.254 among them), private (RFC 1918, fc00::/7), "this network" (0.0.0.0/8), carrier-grade
 * NAT (100.64.0.0/10), multicast, broadcast and reserved ranges.
 *
 * <p>Checking the URL when it is stored is not enough: a host name may resolve to a forbidden address,
 * today or after a DNS change. Whoever sends must therefore resolve the host, check <b>every</b> resolved
 * address with {@link #isAllowed(InetAddress)}, connect to the address it checked (not resolve again), and
 * not follow redirects.
 *
 * <p>A development host (the local server) also allows {@code http} and loopback targets
 * ({@code localhost}, 127.0.0.0/8, ::1), so that a receiver on the developer's machine can be tried; every
 * other range stays forbidden there too. {@link #current()} decides from the system property
 * {@value #DEVELOPMENT_HOST_PROPERTY}, which the local server sets at its start; in AWS nothing sets it.
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

  /** The policy of this process: {@link #DEVELOPMENT} when {@value #DEVELOPMENT_HOST_PROPERTY} is {@code true}. */
  public static WebhookUrlPolicy current() {
    return "true".equalsIgnoreCase(System.getProperty(DEVELOPMENT_HOST_PROPERTY)) ? DEVELOPMENT : STRICT;
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
    return isAllowed(address) ? null
        : "must not be a loopback, link-local, private, multicast or otherwise reserved address"
            + " (" + address.getHostAddress() + "): webhooks go to public addresses only";
  }

  /**
   * Whether a webhook may be sent to {@code address}: the check the sender applies to every address its
   * target's host resolves to, at send time (DNS can change after the URL was stored).
   */
  public boolean isAllowed(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return developmentHost;
    }
    if (address instanceof Inet4Address v4) {
      return allowedV4(v4.getAddress());
    }
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      byte[] embedded = embeddedIpv4(b);
      if (embedded != null) {
        if ((embedded[0] & 0xff) == 127) {
          return developmentHost;
        }
        return allowedV4(embedded);
      }
      if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
          || address.isMulticastAddress()) {
        return false;
      }
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return false; // fc00::/7, unique local
      }
      return true;
    }
    return false;
  }

  /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) one. */
  private static byte[] embeddedIpv4(byte[] b) {
    boolean zeroTen = true;
    for (int i = 0; i < 10; i++) {
      zeroTen &= b[i] == 0;
    }
    if (zeroTen && (b[10] == (byte) 0xff && b[11] == (byte) 0xff || b[10] == 0 && b[11] == 0)) {
      return new byte[] {b[12], b[13], b[14], b[15]};
    }
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    for (int i = 4; i < 12 && nat64; i++) {
      nat64 = b[i] == 0;
    }
    if (nat64) {
      return new byte[] {b[12], b[13], b[14], b[15]};
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
      return new byte[] {b[2], b[3], b[4], b[5]};
    }
    return null;
  }

  private boolean allowedV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    if (a0 == 127) {
      return developmentHost; // loopback
    }
    return !(a0 == 0                                   // "this network", 0.0.0.0/8
        || a0 == 10                                    // private
        || a0 == 100 && (a1 & 0xc0) == 64              // carrier-grade NAT, 100.64.0.0/10
        || a0 == 169 && a1 == 254                      // link-local, the metadata address among them
        || a0 == 172 && (a1 & 0xf0) == 16              // private, 172.16.0.0/12
        || a0 == 192 && a1 == 168                      // private
        || a0 == 192 && a1 == 0 && a2 == 0             // IETF protocol assignments, 192.0.0.0/24
        || a0 == 198 && (a1 & 0xfe) == 18              // benchmarking, 198.18.0.0/15
        || a0 >= 224);                                 // multicast 224/4, reserved 240/4, broadcast
  }
}
