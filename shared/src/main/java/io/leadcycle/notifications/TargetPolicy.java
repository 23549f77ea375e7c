package io.leadcycle.notifications;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Where webhooks may be sent, decided on the addresses a subscriber's host resolves to at send time
 * (DNS can change after the URL was accepted). In AWS only {@code https} to public addresses; the
 * local server, a development host, also allows {@code http} and loopback.
 */
public interface TargetPolicy {

  /** Whether a connection to this (resolved) address is allowed. */
  boolean allows(InetAddress address);

  /** Whether plain {@code http} URLs are allowed (only on the local server). */
  boolean allowsHttp();

  /** Why this address is refused, for the attempt's error; null when it is allowed. */
  default String refusal(InetAddress address) {
    if (allows(address)) {
      return null;
    }
    String kind = PublicAddresses.kindOf(address);
    return "address " + address.getHostAddress() + " is not allowed" + (kind == null ? "" : " (" + kind + ")");
  }

  /** AWS: https only, public addresses only. */
  static TargetPolicy publicHttpsOnly() {
    return new TargetPolicy() {
      @Override
      public boolean allows(InetAddress address) {
        return PublicAddresses.kindOf(address) == null;
      }

      @Override
      public boolean allowsHttp() {
        return false;
      }
    };
  }

  /** The local server: http too, and loopback; every other non-public range stays refused. */
  static TargetPolicy localServer() {
    return new TargetPolicy() {
      @Override
      public boolean allows(InetAddress address) {
        return address.isLoopbackAddress() || PublicAddresses.kindOf(address) == null;
      }

      @Override
      public boolean allowsHttp() {
        return true;
      }
    };
  }

  /** The ranges that are not public unicast addresses. */
  final class PublicAddresses {

    private PublicAddresses() {
    }

    /** The kind of non-public range this address is in, or null for a public unicast address. */
    static String kindOf(InetAddress address) {
      if (address instanceof Inet4Address v4) {
        return kindOf4(v4.getAddress());
      }
      byte[] b = address.getAddress();
      if (address instanceof Inet6Address) {
        if (address.isAnyLocalAddress()) {
          return "unspecified";
        }
        if (address.isLoopbackAddress()) {
          return "loopback";
        }
        if (address.isLinkLocalAddress()) {
          return "link-local";
        }
        if (address.isSiteLocalAddress()) {
          return "site-local";
        }
        if (address.isMulticastAddress()) {
          return "multicast";
        }
        if ((b[0] & 0xfe) == 0xfc) {
          return "unique local";
        }
        // Addresses that carry an IPv4 address: judged by it (::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::/96, 2002::/16).
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
          firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
          return embedded(b, 12);
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
          return embedded(b, 12);
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
          return embedded(b, 2);
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == (byte) 0xb8) {
          return "documentation";
        }
        return null;
      }
      return "unknown address family";
    }

    private static String embedded(byte[] b, int from) {
      byte[] v4 = {b[from], b[from + 1], b[from + 2], b[from + 3]};
      String kind = kindOf4(v4);
      return kind == null ? null : kind + " (embedded IPv4)";
    }

    private static String kindOf4(byte[] b) {
      int a0 = b[0] & 0xff;
      int a1 = b[1] & 0xff;
      if (a0 == 0) {
        return "this network (0.0.0.0/8)";
      }
      if (a0 == 127) {
        return "loopback";
      }
      if (a0 == 169 && a1 == 254) {
        return "link-local, cloud metadata";
      }
      if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
        return "private";
      }
      if (a0 == 100 && a1 >= 64 && a1 <= 127) {
        return "carrier-grade NAT";
      }
      if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) {
        return "IETF protocol assignments";
      }
      if (a0 == 198 && (a1 == 18 || a1 == 19)) {
        return "benchmarking";
      }
      if (a0 >= 224 && a0 <= 239) {
        return "multicast";
      }
      if (a0 >= 240) {
        return "reserved or broadcast";
      }
      return null;
    }
  }
}
