package io.leadcycle.notifications;

import io.leadcycle.notifications.WebhookSender.Resolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The DNS answers for subscribers' hosts, kept a short time ({@link #DEFAULT_TTL}, the JVM's own cache
 * time), so that a lookup happens once per host and period, when deliveries are claimed, and never
 * while a sending slot waits. Only the raw answer is kept: the {@link TargetPolicy} judges every
 * address again at each use ({@link WebhookSender#target}), so nothing cached is ever connected to
 * without being checked, and a host that starts resolving to a refused address is refused within one
 * period. A failed lookup is kept a shorter time ({@link #DEFAULT_FAILURE_TTL}).
 */
final class HostAddresses {

  static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  static final Duration DEFAULT_FAILURE_TTL = Duration.ofSeconds(5);

  /** One lookup: the addresses (never empty), or null with {@code failure} saying why. */
  record Answer(InetAddress[] addresses, String failure, long expiresNanos) {
  }

  private final Resolver resolver;
  private final LongSupplier nanoTime;
  private final long ttlNanos;
  private final long failureTtlNanos;
  private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();

  HostAddresses(Resolver resolver, LongSupplier nanoTime, Duration ttl, Duration failureTtl) {
    this.resolver = resolver;
    this.nanoTime = nanoTime;
    this.ttlNanos = ttl.toNanos();
    this.failureTtlNanos = failureTtl.toNanos();
  }

  /** The host's addresses as last looked up, looked up again when that is older than the period. */
  Answer lookup(String host) {
    String key = host.toLowerCase(Locale.ROOT);
    long now = nanoTime.getAsLong();
    Answer known = answers.get(key);
    if (known != null && now - known.expiresNanos() < 0) {
      return known;
    }
    Answer fresh = resolve(host, now);
    answers.put(key, fresh);
    if (answers.size() > 10_000) {
      answers.entrySet().removeIf(e -> now - e.getValue().expiresNanos() >= 0); // bounded: drop the expired
    }
    return fresh;
  }

  private Answer resolve(String host, long now) {
    try {
      InetAddress[] addresses = resolver.resolve(host);
      if (addresses != null && addresses.length > 0) {
        return new Answer(addresses.clone(), null, now + ttlNanos);
      }
    } catch (UnknownHostException | RuntimeException e) {
      // falls through: a failed lookup
    }
    return new Answer(null, "cannot resolve " + host, now + failureTtlNanos);
  }
}
