package io.leadcycle.notifications;

import io.leadcycle.domain.Lead;
import io.leadcycle.domain.LeadScore;
import io.leadcycle.events.JsonViews;
import io.leadcycle.events.LeadEventPayload;
import io.leadcycle.http.StandardWebhooks;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.JsonLog;
import io.leadcycle.runtime.Metric;
import io.leadcycle.runtime.Metrics;
import io.leadcycle.store.DispatchStore;
import io.leadcycle.store.DispatchStore.Claimed;
import io.leadcycle.store.DispatchStore.FanOut;
import io.leadcycle.store.DispatchStore.Outcome;
import io.leadcycle.store.LeadScoreStore;
import io.leadcycle.store.LeadStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers the outbox to subscribers (threshold notification). A run:
 *
 * <ol>
 *   <li><b>fans out</b> events not yet fanned out, oldest first, in batches of one transaction: one
 *       delivery per enabled subscriber of the event's type (or of {@code *});
 *   <li><b>sends</b> due deliveries, at most {@code concurrency} at once: each is claimed with a short
 *       lease just before it is sent, so a slow receiver holds one slot and never delays the others;
 *       every attempt and its outcome are recorded (2xx delivered; 410 disables the subscriber; 429/503
 *       honour {@code Retry-After}; anything else is retried on the {@link RetrySchedule}).
 * </ol>
 *
 * <p>At least once: the outcome is recorded after the send, so a runner that dies in between leaves
 * the lease to expire and the delivery is sent again, with the same {@code webhook-id} (the event id).
 * Several runners share the work ({@code SKIP LOCKED}). Deliveries to one subscriber are sent
 * concurrently and retried independently: their order is not promised.
 *
 * <p>{@link #run} blocks: call it from a handler's thread, never from an event loop.
 */
public final class Dispatcher implements AutoCloseable {

  /** How a dispatcher works: parallel sends, fan-out batch, per-request timeout, lease of a claimed delivery. */
  public record Settings(int concurrency, int fanOutBatch, Duration timeout, Duration lease) {

    public static final Settings DEFAULT = new Settings(16, 500, WebhookSender.DEFAULT_TIMEOUT, Duration.ofSeconds(60));
  }

  /** What one run did. {@code more}: it stopped at its budget, possibly with work left. */
  public record RunSummary(int eventsFannedOut, int deliveriesCreated, int attempts, int delivered, int retrying,
      int failed, int subscribersDisabled, boolean more, long millis) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("eventsFannedOut", eventsFannedOut)
          .put("deliveriesCreated", deliveriesCreated)
          .put("attempts", attempts)
          .put("delivered", delivered)
          .put("retrying", retrying)
          .put("failed", failed)
          .put("subscribersDisabled", subscribersDisabled)
          .put("more", more)
          .put("millis", millis);
    }

    /** The attempts' outcomes, in metrics. */
    public void countIn(Metrics metrics) {
      metrics.count(Metric.WEBHOOKS_DELIVERED, delivered);
      metrics.count(Metric.WEBHOOKS_RETRIED, retrying);
      metrics.count(Metric.WEBHOOKS_FAILED, failed);
    }
  }

  private static final class Counters {
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger retrying = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger disabled = new AtomicInteger();
  }

  private final Database database;
  private final Clock clock;
  private final Settings settings;
  private final WebhookSender sender;
  private final RetrySchedule schedule = new RetrySchedule(() -> ThreadLocalRandom.current().nextDouble());
  private final ExecutorService senders;
  private final DispatchStore store = new DispatchStore();
  private final LeadStore leads = new LeadStore();
  private final LeadScoreStore scores = new LeadScoreStore();

  public Dispatcher(Database database, Clock clock, TargetPolicy policy) {
    this(database, clock, Settings.DEFAULT, new WebhookSender(database.vertx(), policy, Settings.DEFAULT.timeout(),
        Settings.DEFAULT.concurrency()));
  }

  public Dispatcher(Database database, Clock clock, Settings settings, WebhookSender sender) {
    this.database = database;
    this.clock = clock;
    this.settings = settings;
    this.sender = sender;
    AtomicInteger threadNumber = new AtomicInteger();
    this.senders = Executors.newFixedThreadPool(settings.concurrency(), work -> {
      Thread thread = new Thread(work, "webhook-sender-" + threadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Fans out and sends until nothing is due and nothing is in flight, or {@code budget} is spent; then waits for what is in flight. */
  public RunSummary run(Duration budget) {
    Instant started = clock.instant();
    Instant deadline = started.plus(budget);
    Counters counters = new Counters();
    Semaphore slots = new Semaphore(settings.concurrency());
    int events = 0;
    int created = 0;
    boolean more = false;
    try {
      while (true) {
        if (clock.instant().isAfter(deadline)) {
          more = true;
          break;
        }
        FanOut fanOut = database.inTransaction(conn -> store.fanOut(conn, settings.fanOutBatch(), clock.instant())).await();
        events += fanOut.events();
        created += fanOut.deliveries();
        int free = slots.availablePermits();
        List<Claimed> claimed = free == 0 ? List.of() : database.inTransaction(conn -> {
          Instant now = clock.instant();
          return store.claim(conn, free, now, now.plus(settings.lease()));
        }).await();
        if (claimed.isEmpty()) {
          if (fanOut.events() == settings.fanOutBatch()) {
            continue;
          }
          if (slots.availablePermits() == settings.concurrency()) {
            break;
          }
          if (free == 0) {
            awaitFreeSlot(slots); // every slot busy: claim again as soon as one send ends
          } else {
            pause(); // nothing due, sends in flight: look again shortly (events written meanwhile)
          }
          continue;
        }
        Map<UUID, JsonObject> views = leadViews(claimed);
        for (Claimed delivery : claimed) {
          slots.acquireUninterruptibly();
          senders.execute(() -> {
            try {
              send(delivery, views.get(delivery.leadId()), counters);
            } finally {
              slots.release();
            }
          });
        }
      }
    } finally {
      slots.acquireUninterruptibly(settings.concurrency());
      slots.release(settings.concurrency());
    }
    return new RunSummary(events, created, counters.attempts.get(), counters.delivered.get(), counters.retrying.get(),
        counters.failed.get(), counters.disabled.get(), more, Duration.between(started, clock.instant()).toMillis());
  }

  /** The claimed deliveries' leads as {@code GET /v1/leads/{id}} shows them without timeline, as they are now. */
  private Map<UUID, JsonObject> leadViews(List<Claimed> claimed) {
    List<UUID> ids = claimed.stream().map(Claimed::leadId).distinct().toList();
    return database.read(conn -> {
      Future<Map<UUID, Lead>> found = leads.findAll(conn, ids);
      Future<Map<UUID, List<LeadScore>>> scored = scores.scoresOf(conn, ids);
      return Future.all(found, scored).map(all -> {
        Map<UUID, JsonObject> views = new HashMap<>();
        found.result().forEach((id, lead) -> views.put(id, JsonViews.lead(lead, scored.result().getOrDefault(id, List.of()))));
        return views;
      });
    }).await();
  }

  /**
   * The webhook body (docs/events.md, docs/schemas/webhook-event.schema.json): the event's id, type and
   * time; in {@code data} the lead now and what happened, as the event was written.
   */
  static Buffer body(Claimed delivery, JsonObject lead) {
    JsonObject data = new JsonObject().put("lead", lead);
    LeadEventPayload.whatHappened(delivery.payload()).forEach(member -> data.put(member.getKey(), member.getValue()));
    return new JsonObject()
        .put("id", delivery.outboxId().toString())
        .put("type", delivery.type())
        .put("occurredAt", delivery.occurredAt().toString())
        .put("data", data)
        .toBuffer();
  }

  private void send(Claimed delivery, JsonObject lead, Counters counters) {
    try {
      Instant at = clock.instant();
      int attempts = delivery.attempts() + 1;
      Outcome outcome;
      if (lead == null) {
        // Deleting a lead deletes its events and their deliveries (cascade): only a race gets here.
        outcome = new Outcome(delivery.deliveryId(), delivery.subscriberId(), at, null, "the lead no longer exists", 0,
            "failed", null, null);
      } else {
        Buffer body = body(delivery, lead);
        long timestamp = at.getEpochSecond();
        String id = delivery.outboxId().toString();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
            .add("content-type", "application/json")
            .add("webhook-id", id)
            .add("webhook-timestamp", Long.toString(timestamp))
            .add("webhook-signature", StandardWebhooks.signAll(delivery.secrets(), id, timestamp, body.getBytes()));
        WebhookSender.Result result = sender.post(delivery.url(), headers, body);
        outcome = outcome(delivery, attempts, at, result);
      }
      counters.attempts.incrementAndGet();
      switch (outcome.status()) {
        case "delivered" -> counters.delivered.incrementAndGet();
        case "failed" -> counters.failed.incrementAndGet();
        default -> counters.retrying.incrementAndGet();
      }
      if (outcome.disableSubscriber() != null) {
        counters.disabled.incrementAndGet();
      }
      Outcome recorded = outcome;
      database.inTransaction(conn -> store.record(conn, recorded)).await();
    } catch (Exception | Error e) {
      // Not recorded: the lease expires and the delivery is sent again (same webhook-id).
      JsonLog.error(null, "a webhook attempt could not be recorded; it is sent again when its lease ends", e,
          new JsonObject().put("deliveryId", delivery.deliveryId().toString()));
    }
  }

  /** What an attempt's result means for the delivery. */
  Outcome outcome(Claimed delivery, int attempts, Instant at, WebhookSender.Result result) {
    Integer status = result.status();
    if (status != null && status >= 200 && status < 300) {
      return new Outcome(delivery.deliveryId(), delivery.subscriberId(), at, status, null, result.durationMs(),
          "delivered", null, null);
    }
    if (status != null && status == 410) {
      return new Outcome(delivery.deliveryId(), delivery.subscriberId(), at, status, "410 Gone: subscriber disabled",
          result.durationMs(), "failed", null, "410 Gone from " + delivery.url() + " at " + at);
    }
    String error = result.error();
    if (status != null && status >= 300 && status < 400) {
      error = "redirect not followed";
    }
    Instant now = clock.instant();
    Duration retryAfter = status != null && (status == 429 || status == 503)
        ? RetrySchedule.parseRetryAfter(result.retryAfter(), now) : null;
    Instant next = schedule.next(attempts, now, retryAfter);
    return new Outcome(delivery.deliveryId(), delivery.subscriberId(), at, status, error, result.durationMs(),
        next == null ? "failed" : "pending", next, null);
  }

  /**
   * Waits until a send ends and frees its slot (at most 50 ms). Waking on the slot rather than sleeping
   * a fixed time keeps every slot busy under load.
   */
  private static void awaitFreeSlot(Semaphore slots) {
    try {
      if (slots.tryAcquire(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        slots.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deliveries were in flight", e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deliveries were in flight", e);
    }
  }

  @Override
  public void close() {
    senders.shutdownNow();
    sender.close();
  }
}
