package io.leadcycle.domain;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The address blocks that are not an ordinary public host, as one table: the rows of IANA's IPv4 and IPv6
 * Special-Purpose Address Registries (iana-ipv4-special-registry, iana-ipv6-special-registry, RFC 6890 and
 * its updates), each with its CIDR, its name, its RFC and whether the registry calls it globally reachable;
 * then a few rows from other registries the special-purpose ones leave out: multicast, the deprecated IPv6
 * forms that embed an IPv4 address, and site-local.
 *
 * <p>{@link #of} answers the most specific row an address falls in, so that a globally reachable row inside
 * a larger one (TURN's anycast 192.0.0.10 inside 192.0.0.0/24) wins over it. Pure: nothing is resolved.
 */
public final class SpecialPurposeAddresses {

  /**
   * One block. {@code globallyReachable} is the registry's column; its "N/A" (Teredo, 6to4, the
   * deprecated blocks) counts as not reachable.
   */
  public record Block(String cidr, String name, String rfc, boolean globallyReachable) {

    public Block {
      network(cidr); // a mistyped row fails when the class loads, not when an address meets it
    }

    /** Whether {@code address} (4 or 16 bytes) is inside this block. */
    public boolean contains(byte[] address) {
      byte[] network = network(cidr);
      if (address.length != network.length) {
        return false;
      }
      int prefix = prefixLength();
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    public int prefixLength() {
      return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }

    public boolean ipv6() {
      return cidr.contains(":");
    }

    @Override
    public String toString() {
      return cidr + " " + name + " (" + rfc + ")";
    }
  }

  /** IANA IPv4 Special-Purpose Address Registry. */
  public static final List<Block> IPV4_REGISTRY = List.of(
      new Block("0.0.0.0/8", "\"This network\"", "RFC 791", false),
      new Block("0.0.0.0/32", "\"This host on this network\"", "RFC 1122", false),
      new Block("10.0.0.0/8", "Private-Use", "RFC 1918", false),
      new Block("100.64.0.0/10", "Shared Address Space", "RFC 6598", false),
      new Block("127.0.0.0/8", "Loopback", "RFC 1122", false),
      new Block("169.254.0.0/16", "Link Local", "RFC 3927", false),
      new Block("172.16.0.0/12", "Private-Use", "RFC 1918", false),
      new Block("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890", false),
      new Block("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335", false),
      new Block("192.0.0.8/32", "IPv4 dummy address", "RFC 7600", false),
      new Block("192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723", true),
      new Block("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155", true),
      new Block("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 7050", false),
      new Block("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 7050", false),
      new Block("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", false),
      new Block("192.31.196.0/24", "AS112-v4", "RFC 7535", true),
      new Block("192.52.193.0/24", "AMT", "RFC 7450", true),
      new Block("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526", false),
      new Block("192.168.0.0/16", "Private-Use", "RFC 1918", false),
      new Block("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534", true),
      new Block("198.18.0.0/15", "Benchmarking", "RFC 2544", false),
      new Block("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", false),
      new Block("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", false),
      new Block("240.0.0.0/4", "Reserved", "RFC 1112", false),
      new Block("255.255.255.255/32", "Limited Broadcast", "RFC 919", false));

  /** IANA IPv6 Special-Purpose Address Registry. */
  public static final List<Block> IPV6_REGISTRY = List.of(
      new Block("::1/128", "Loopback Address", "RFC 4291", false),
      new Block("::/128", "Unspecified Address", "RFC 4291", false),
      new Block("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", false),
      new Block("64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC 6052", true),
      new Block("64:ff9b:1::/48", "IPv4-IPv6 Translat.", "RFC 8215", false),
      new Block("100::/64", "Discard-Only Address Block", "RFC 6666", false),
      new Block("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", false),
      new Block("2001::/23", "IETF Protocol Assignments", "RFC 2928", false),
      new Block("2001::/32", "TEREDO", "RFC 4380", false),
      new Block("2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", true),
      new Block("2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", true),
      new Block("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", true),
      new Block("2001:2::/48", "Benchmarking", "RFC 5180", false),
      new Block("2001:3::/32", "AMT", "RFC 7450", true),
      new Block("2001:4:112::/48", "AS112-v6", "RFC 7535", true),
      new Block("2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843", false),
      new Block("2001:20::/28", "ORCHIDv2", "RFC 7343", true),
      new Block("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374", true),
      new Block("2001:db8::/32", "Documentation", "RFC 3849", false),
      new Block("2002::/16", "6to4", "RFC 3056", false),
      new Block("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534", true),
      new Block("3fff::/20", "Documentation", "RFC 9637", false),
      new Block("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", false),
      new Block("fc00::/7", "Unique-Local", "RFC 4193", false),
      new Block("fe80::/10", "Link-Local Unicast", "RFC 4291", false));

  /**
   * Not in the special-purpose registries, and no public host either: multicast (its own registries), the
   * deprecated IPv6 forms that embed an IPv4 address, and deprecated site-local. (All of IPv6 outside the
   * global unicast space 2000::/3 is refused anyway: {@link #GLOBAL_UNICAST}.)
   */
  public static final List<Block> OTHER = List.of(
      new Block("224.0.0.0/4", "Multicast", "RFC 5771", false),
      new Block("ff00::/8", "Multicast", "RFC 4291", false),
      new Block("::/96", "IPv4-compatible (deprecated)", "RFC 4291", false),
      new Block("::ffff:0:0:0/96", "IPv4-translated", "RFC 2765", false),
      new Block("fec0::/10", "Site-Local (deprecated)", "RFC 3879", false));

  /** IANA's IPv6 Address Space registry: global unicast. Every IPv6 address outside it is refused. */
  public static final Block GLOBAL_UNICAST = new Block("2000::/3", "Global Unicast", "RFC 4291", true);

  /** Every row, registries first. */
  public static final List<Block> ALL;

  static {
    List<Block> all = new ArrayList<>(IPV4_REGISTRY);
    all.addAll(IPV6_REGISTRY);
    all.addAll(OTHER);
    ALL = List.copyOf(all);
  }

  private SpecialPurposeAddresses() {
  }

  /** The most specific row {@code address} (4 or 16 bytes) falls in, or null when it is in none. */
  public static Block of(byte[] address) {
    Block found = null;
    for (Block block : ALL) {
      if (block.contains(address) && (found == null || block.prefixLength() > found.prefixLength())) {
        found = block;
      }
    }
    return found;
  }

  /** The 4 or 16 bytes of a CIDR's network; an IPv4-mapped IPv6 network stays 16 bytes. */
  static byte[] network(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    String literal = cidr.substring(0, slash);
    int prefix = Integer.parseInt(cidr.substring(slash + 1));
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(literal).getAddress(); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + cidr, e);
    }
    if (literal.contains(":") && bytes.length == 4) {
      // The JVM turns ::ffff:a.b.c.d into an IPv4 address; the row means the IPv6 one.
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(bytes, 0, mapped, 12, 4);
      bytes = mapped;
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("bad prefix length: " + cidr);
    }
    return bytes;
  }

  /** The IPv4 address in the last 4 bytes of an IPv6 one (IPv4-mapped, NAT64's 64:ff9b::/96). */
  static Inet4Address lastFourBytes(byte[] ipv6) {
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {ipv6[12], ipv6[13], ipv6[14], ipv6[15]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }
}
