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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers the outbox to subscribers (threshold notification). A run:
 *
 * <ol>
 *   <li><b>fans out</b> events not yet fanned out, oldest first, in batches of one transaction: one
 *       delivery per enabled subscriber of the event's type (or of {@code *});
 *   <li><b>claims ahead</b>: due deliveries are claimed with a lease in batches, up to {@code concurrency +
 *       claimAhead} claimed and not yet sent, so that a freed sending slot takes the next one from memory
 *       without waiting for the database; their hosts are looked up (a short-lived DNS cache) and checked
 *       then, so that no slot waits for DNS either;
 *   <li><b>sends</b> them, at most {@code concurrency} at once, without a thread per send: a send is a
 *       future on the HTTP client's event loop, and the one that ends starts the next queued delivery; a
 *       slow receiver holds one slot and never delays the others;
 *   <li><b>records</b> every attempt and its outcome (2xx delivered; 410 disables the subscriber; 429/503
 *       honour {@code Retry-After}; anything else is retried on the {@link RetrySchedule}) in batches: one
 *       recorder thread writes whatever outcomes have arrived in one statement and one commit, while the
 *       slots go on sending.
 * </ol>
 *
 * <p>At least once: an outcome is recorded after the send, so a runner that dies in between leaves the
 * lease to expire and the delivery is sent again, with the same {@code webhook-id} (the event id). A
 * delivery keeps its lease until its outcome is written, so no other runner sends it meanwhile; one
 * claimed but not sent before its lease could run out, or when the run ends, is released unsent.
 * Several runners share the work ({@code SKIP LOCKED}). Deliveries to one subscriber are sent
 * concurrently and retried independently: their order is not promised.
 *
 * <p>{@link #run} blocks: call it from a handler's thread, never from an event loop.
 */
public final class Dispatcher implements AutoCloseable {

  /**
   * How a dispatcher works: parallel sends, fan-out batch, per-request timeout, lease of a claimed
   * delivery, how many deliveries are claimed beyond the free slots, and the most outcomes written in one
   * statement.
   */
  public record Settings(int concurrency, int fanOutBatch, Duration timeout, Duration lease, int claimAhead,
      int recordBatch, Duration linger) {

    public static final int DEFAULT_CONCURRENCY = 16;

    public static final Settings DEFAULT = new Settings(DEFAULT_CONCURRENCY, 500, WebhookSender.DEFAULT_TIMEOUT,
        Duration.ofSeconds(60), 240, 500, Duration.ofSeconds(1));

    /**
     * The defaults, with {@code NOTIFICATION_CONCURRENCY} sends in flight when it is set (a whole number
     * from 1 to 256; anything else fails at once, naming it).
     */
    public static Settings fromEnvironment(Map<String, String> env) {
      String raw = env.get("NOTIFICATION_CONCURRENCY");
      if (raw == null || raw.isBlank()) {
        return DEFAULT;
      }
      try {
        int concurrency = Integer.parseInt(raw.strip());
        if (concurrency >= 1 && concurrency <= 256) {
          return DEFAULT.withConcurrency(concurrency);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalStateException("NOTIFICATION_CONCURRENCY must be a whole number from 1 to 256 (got \"" + raw
          + "\").");
    }

    /** The same settings with {@code concurrency} sends in flight (and as many connections). */
    public Settings withConcurrency(int concurrency) {
      return new Settings(concurrency, fanOutBatch, timeout, lease, claimAhead, recordBatch, linger);
    }
  }

  /**
   * What one run did. {@code more}: it stopped at its budget, possibly with work left. {@code outcomeWrites}:
   * the transactions that recorded its attempts (several attempts each under load).
   */
  public record RunSummary(int eventsFannedOut, int deliveriesCreated, int attempts, int delivered, int retrying,
      int failed, int subscribersDisabled, int outcomeWrites, boolean more, long millis) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("eventsFannedOut", eventsFannedOut)
          .put("deliveriesCreated", deliveriesCreated)
          .put("attempts", attempts)
          .put("delivered", delivered)
          .put("retrying", retrying)
          .put("failed", failed)
          .put("subscribersDisabled", subscribersDisabled)
          .put("outcomeWrites", outcomeWrites)
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

  /** What one turn of a run's loop fanned out and claimed, and the claimed deliveries' leads. */
  private record Step(FanOut fanOut, List<Claimed> claimed, Map<UUID, JsonObject> views) {
    static final Step NOTHING = new Step(new FanOut(0, 0), List.of(), Map.of());
  }

  /** A claimed delivery waiting for a send slot, with what sending it needs. */
  private record Queued(Claimed delivery, JsonObject lead, Map<UUID, byte[]> bodies, WebhookSender.Target target,
      Instant leaseUntil) {
  }

  /** One run's state shared with its sending tasks: past its budget, and what it claimed but did not send. */
  private static final class RunState {
    final Counters counters = new Counters();
    volatile boolean stopping;
    /** Claimed and waiting for a send slot; sends in flight (at most {@code concurrency}). */
    final java.util.concurrent.ConcurrentLinkedQueue<Queued> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final AtomicInteger inFlight = new AtomicInteger();
    /** A permit per delivery claimed and not yet sent (queued or in flight). */
    final Semaphore claims;

    RunState(int claimable) {
      claims = new Semaphore(claimable);
    }
    /** Subscribers that answered 410 in this run: their deliveries claimed ahead are not sent. */
    final Set<UUID> gone = ConcurrentHashMap.newKeySet();
    final Map<Instant, List<UUID>> unsent = new ConcurrentHashMap<>();

    void unsent(Claimed delivery, Instant leaseUntil) {
      unsent.computeIfAbsent(leaseUntil, l -> new CopyOnWriteArrayList<>()).add(delivery.deliveryId());
    }
  }

  private final Database database;
  private final Clock clock;
  private final Settings settings;
  private final WebhookSender sender;
  private final RetrySchedule schedule = new RetrySchedule(() -> ThreadLocalRandom.current().nextDouble());
  private final Recorder recorder;
  private final DispatchStore store = new DispatchStore();
  private final LeadStore leads = new LeadStore();
  private final LeadScoreStore scores = new LeadScoreStore();
  /** Time kept in hand on a lease beyond a request's timeout, for recording its outcome. */
  private static final Duration LEASE_MARGIN = Duration.ofSeconds(10);
  /** How often a busy run looks for new events to fan out, and a lingering one for anything to do. */
  private static final Duration FAN_OUT_EVERY = Duration.ofMillis(20);

  public Dispatcher(Database database, Clock clock, TargetPolicy policy) {
    this(database, clock, Settings.DEFAULT, policy);
  }

  public Dispatcher(Database database, Clock clock, Settings settings, TargetPolicy policy) {
    this(database, clock, settings, new WebhookSender(database.vertx(), policy, settings.timeout(),
        settings.concurrency()));
  }

  public Dispatcher(Database database, Clock clock, Settings settings, WebhookSender sender) {
    this.database = database;
    this.clock = clock;
    this.settings = settings;
    this.sender = sender;
    this.recorder = new Recorder();
  }

  /**
   * Fans out and sends until nothing is due and nothing is in flight, or {@code budget} is spent; then waits
   * for what is in flight. A run that has sent something keeps looking (every 20 ms) for {@code linger}
   * after its last work before it ends: while events keep arriving it goes on, instead of ending between
   * two of them and leaving the next ones to the next run (a second later on the local timer, a minute in
   * AWS without a nudge). A run that finds nothing at all ends at once.
   */
  public RunSummary run(Duration budget) {
    Instant started = clock.instant();
    Instant deadline = started.plus(budget);
    int claimable = settings.concurrency() + settings.claimAhead();
    RunState state = new RunState(claimable);
    Semaphore claims = state.claims;
    int writesBefore = recorder.writes();
    // Claim in batches of at least this many (fewer only when that is all there is room for at the start).
    int claimBatch = Math.max(1, claimable / 4);
    int events = 0;
    int created = 0;
    boolean more = false;
    long lastFanOut = 0;
    boolean fanOutFull = false;
    long lastWork = 0; // System.nanoTime() when this run last fanned out or claimed something; 0: never
    try {
      while (true) {
        if (clock.instant().isAfter(deadline)) {
          more = true;
          break;
        }
        // Under load the loop turns every few milliseconds: fan out at most every FAN_OUT_EVERY (one commit
        // for what was written meanwhile), at once while batches come back full, and always before stopping.
        boolean fanOutNow = lastFanOut == 0 || fanOutFull || System.nanoTime() - lastFanOut >= FAN_OUT_EVERY.toNanos();
        int free = claims.availablePermits();
        // Not more than one batch of outcomes waiting to be written: the recorder sets the pace when the database is slow.
        boolean room = free >= claimBatch && recorder.waiting() < settings.recordBatch();
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(settings.lease()).truncatedTo(ChronoUnit.MICROS);
        // Fan-out, claim and the claimed leads in one transaction: one commit (an fsync) for both writes, what
        // is fanned out can be claimed at once, and the leads come over the same connection.
        Step step = !fanOutNow && !room ? Step.NOTHING : database.inTransaction(conn -> {
          Future<FanOut> fannedOut = fanOutNow
              ? store.fanOut(conn, settings.fanOutBatch(), now) : Future.succeededFuture(Step.NOTHING.fanOut());
          return fannedOut.compose(f -> !room ? Future.succeededFuture(new Step(f, List.of(), Map.of()))
              : store.claim(conn, free, now, leaseUntil).compose(c -> c.isEmpty()
                  ? Future.succeededFuture(new Step(f, c, Map.of()))
                  : leadViews(leads.findAll(conn, leadIds(c)), scores.scoresOf(conn, leadIds(c)))
                      .map(v -> new Step(f, c, v))));
        }).await();
        FanOut fanOut = step.fanOut();
        List<Claimed> claimed = step.claimed();
        if (fanOutNow) {
          lastFanOut = System.nanoTime();
          fanOutFull = fanOut.events() == settings.fanOutBatch();
        }
        events += fanOut.events();
        created += fanOut.deliveries();
        if (fanOut.events() > 0 || !claimed.isEmpty()) {
          lastWork = System.nanoTime();
        }
        if (claimed.isEmpty()) {
          if (fanOutFull) {
            continue;
          }
          if (!room) {
            awaitRoom(claims, claimBatch); // claimed enough ahead, or outcomes to write: claim again when there is room
            continue;
          }
          if (claims.availablePermits() == claimable) {
            if (!fanOutNow) {
              lastFanOut = 0; // look for new events once more before stopping
              continue;
            }
            if (lastWork == 0 || System.nanoTime() - lastWork >= settings.linger().toNanos()) {
              break;
            }
          }
          pause(); // nothing due (sends in flight, or lingering): look again shortly
          continue;
        }
        Map<UUID, JsonObject> views = step.views();
        // One body per event: its subscribers' deliveries, fanned out together, are mostly claimed together.
        Map<UUID, byte[]> bodies = new ConcurrentHashMap<>();
        Map<String, WebhookSender.Target> targets = new HashMap<>();
        for (Claimed delivery : claimed) {
          targets.computeIfAbsent(delivery.url(), sender::target); // DNS here, never in a sending slot
        }
        for (Claimed delivery : claimed) {
          claims.acquireUninterruptibly(); // never waits: claimed no more than there were permits
          JsonObject lead = delivery.leadId() == null ? null : views.get(delivery.leadId()); // a contact event has none
          state.queue.add(new Queued(delivery, lead, bodies, targets.get(delivery.url()),
              leaseUntil));
        }
        sendQueued(state);
      }
    } finally {
      state.stopping = true;
      sendQueued(state); // what is still queued is released unsent
      claims.acquireUninterruptibly(claimable);
      claims.release(claimable);
      recorder.awaitWritten();
      releaseUnsent(state);
    }
    Counters counters = state.counters;
    return new RunSummary(events, created, counters.attempts.get(), counters.delivered.get(), counters.retrying.get(),
        counters.failed.get(), counters.disabled.get(), recorder.writes() - writesBefore, more,
        Duration.between(started, clock.instant()).toMillis());
  }

  /**
   * Starts sends from the queue while fewer than {@code concurrency} are in flight. Called by the run's
   * thread after a claim and, on the HTTP client's event loop, by every send that ends, so that a freed
   * slot takes the next queued delivery at once, without a thread hop and without a thread blocked per send.
   */
  private void sendQueued(RunState state) {
    while (!state.queue.isEmpty()) {
      int inFlight = state.inFlight.get();
      if (inFlight >= settings.concurrency()) {
        return; // the send that ends next takes the next one
      }
      if (!state.inFlight.compareAndSet(inFlight, inFlight + 1)) {
        continue;
      }
      Queued next = state.queue.poll();
      if (next == null) {
        state.inFlight.decrementAndGet();
        continue; // taken meanwhile by another caller; the loop looks again
      }
      Future<Void> sent;
      try {
        sent = send(next, state);
      } catch (Exception | Error e) {
        sent = Future.failedFuture(e);
      }
      if (sent.isComplete()) {
        finished(next, state, sent);
      } else {
        sent.onComplete(done -> {
          finished(next, state, done);
          sendQueued(state);
        });
      }
    }
  }

  /** A send's end: its slot and its claim permit are free again. */
  private void finished(Queued queued, RunState state, io.vertx.core.AsyncResult<Void> done) {
    try {
      if (done.failed()) {
        // Not recorded: the lease expires and the delivery is sent again (same webhook-id).
        JsonLog.error(null, "a webhook attempt could not be recorded; it is sent again when its lease ends",
            done.cause(), new JsonObject().put("deliveryId", queued.delivery().deliveryId().toString()));
      }
    } finally {
      state.inFlight.decrementAndGet();
      state.claims.release();
    }
  }

  /** Ends the leases of what this run claimed and did not send, so that the next run need not wait for them. */
  private void releaseUnsent(RunState state) {
    state.unsent.forEach((leaseUntil, ids) -> {
      try {
        database.inTransaction(conn -> store.release(conn, ids, leaseUntil)).await();
      } catch (Exception e) {
        // Their leases then simply run out.
        JsonLog.warn(null, "claimed deliveries not sent could not be released; they are sent when their lease ends",
            new JsonObject().put("deliveries", ids.size()).put("error", String.valueOf(e.getMessage())));
      }
    });
  }

  /** The claimed deliveries' leads as {@code GET /v1/leads/{id}} shows them without timeline, as they are now. */
  private static List<UUID> leadIds(List<Claimed> claimed) {
    return claimed.stream().map(Claimed::leadId).filter(java.util.Objects::nonNull).distinct().toList();
  }

  /** The claimed deliveries' leads as webhooks show them, from the leads and their scores read in the claim's transaction. */
  private static Future<Map<UUID, JsonObject>> leadViews(Future<Map<UUID, Lead>> found,
      Future<Map<UUID, List<LeadScore>>> scored) {
    return Future.all(found, scored).map(all -> {
      Map<UUID, JsonObject> views = new HashMap<>();
      found.result().forEach((id, lead) -> views.put(id, JsonViews.lead(lead, scored.result().getOrDefault(id, List.of()))));
      return views;
    });
  }

  /**
   * The webhook body (docs/events.md, docs/schemas/webhook-event.schema.json): the event's id, type and
   * time; in {@code data} the lead now and what happened, as the event was written.
   */
  static Buffer body(Claimed delivery, JsonObject lead) {
    JsonObject data;
    if (delivery.leadId() == null) {
      // An event about a contact (contact.segment_joined/left, contact.erased): its data is the payload as written.
      data = delivery.payload() == null ? new JsonObject() : delivery.payload().copy();
    } else {
      JsonObject leadData = new JsonObject().put("lead", lead);
      LeadEventPayload.whatHappened(delivery.payload()).forEach(member -> leadData.put(member.getKey(), member.getValue()));
      data = leadData;
    }
    return new JsonObject()
        .put("id", delivery.outboxId().toString())
        .put("type", delivery.type())
        .put("occurredAt", delivery.occurredAt().toString())
        .put("data", data)
        .toBuffer();
  }

  /**
   * Sends one queued delivery and hands its outcome to the recorder; the future completes when it is
   * handed over (or the delivery is left unsent). Never blocks.
   */
  private Future<Void> send(Queued queued, RunState state) {
    Claimed delivery = queued.delivery();
    Instant leaseUntil = queued.leaseUntil();
    Instant at = clock.instant();
    // Past the run's budget, too little lease left to send and record before another runner may take it,
    // or its subscriber just answered 410 (disabled once the outcome is written): not sent, released.
    if (state.stopping || !at.plus(settings.timeout()).plus(LEASE_MARGIN).isBefore(leaseUntil)
        || state.gone.contains(delivery.subscriberId())) {
      state.unsent(delivery, leaseUntil);
      return Future.succeededFuture();
    }
    int attempts = delivery.attempts() + 1;
    JsonObject lead = queued.lead();
    // A contact event (contact.segment_joined/left, contact.erased) names no lead: its body is its payload alone.
    if (lead == null && delivery.leadId() != null) {
      // Deleting a lead deletes its events and their deliveries (cascade): only a race gets here.
      counted(new Outcome(delivery.deliveryId(), delivery.subscriberId(), at, null, "the lead no longer exists", 0,
          "failed", null, null), delivery, state);
      return Future.succeededFuture();
    }
    byte[] bytes = queued.bodies().computeIfAbsent(delivery.outboxId(), event -> body(delivery, lead).getBytes());
    long timestamp = at.getEpochSecond();
    String id = delivery.outboxId().toString();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("content-type", "application/json")
        .add("webhook-id", id)
        .add("webhook-timestamp", Long.toString(timestamp))
        .add("webhook-signature", StandardWebhooks.signAll(delivery.secrets(), id, timestamp, bytes));
    return sender.send(queued.target(), headers, Buffer.buffer(bytes))
        .map(result -> {
          counted(outcome(delivery, attempts, at, result), delivery, state);
          return null;
        });
  }

  /** Counts an outcome in the run's summary and hands it to the recorder. */
  private void counted(Outcome outcome, Claimed delivery, RunState state) {
    Counters counters = state.counters;
    counters.attempts.incrementAndGet();
    switch (outcome.status()) {
      case "delivered" -> counters.delivered.incrementAndGet();
      case "failed" -> counters.failed.incrementAndGet();
      default -> counters.retrying.incrementAndGet();
    }
    if (outcome.disableSubscriber() != null) {
      state.gone.add(delivery.subscriberId());
      counters.disabled.incrementAndGet();
    }
    recorder.add(outcome);
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
   * Waits until {@code batch} claimed deliveries have been sent (at most 50 ms), or briefly when the
   * recorder is behind. Waking on the sends rather
   * than sleeping a fixed time keeps the slots fed under load; waiting for a batch's worth keeps claims few.
   */
  private static void awaitRoom(Semaphore claims, int batch) {
    try {
      if (claims.availablePermits() >= batch) {
        Thread.sleep(5); // the slots are free: the recorder is behind
      } else if (claims.tryAcquire(batch, 50, TimeUnit.MILLISECONDS)) {
        claims.release(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deliveries were in flight", e);
    }
  }

  /**
   * Writes outcomes in batches: one thread takes whatever outcomes have arrived (at most {@code recordBatch})
   * and records them in one statement and one commit ({@link DispatchStore#recordAll}); outcomes arriving
   * meanwhile make the next batch, so under load one commit records many attempts and at low load an
   * outcome waits for no timer. A batch that fails is written again one outcome at a time, so that one bad
   * row costs only itself (not recorded: its lease expires and it is sent again).
   */
  private final class Recorder {
    private final LinkedBlockingQueue<Outcome> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final Object written = new Object();
    private int unwritten; // guarded by written
    private final Thread thread;

    Recorder() {
      thread = new Thread(this::loop, "webhook-outcomes");
      thread.setDaemon(true);
      thread.start();
    }

    void add(Outcome outcome) {
      synchronized (written) {
        unwritten++;
      }
      queue.add(outcome);
    }

    /** Outcomes added and not yet written. */
    int waiting() {
      synchronized (written) {
        return unwritten;
      }
    }

    int writes() {
      return writes.get();
    }

    /** Returns once every outcome added so far is written (or given up). */
    void awaitWritten() {
      synchronized (written) {
        while (unwritten > 0) {
          try {
            written.wait(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while outcomes were being recorded", e);
          }
        }
      }
    }

    private void loop() {
      List<Outcome> batch = new ArrayList<>();
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Outcome first = queue.poll(1, TimeUnit.SECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, settings.recordBatch() - 1);
          write(batch);
        } catch (InterruptedException e) {
          return;
        } finally {
          synchronized (written) {
            unwritten -= batch.size();
            written.notifyAll();
          }
          batch.clear();
        }
      }
    }

    private void write(List<Outcome> batch) {
      try {
        List<Outcome> outcomes = List.copyOf(batch);
        database.inTransaction(conn -> store.recordAll(conn, outcomes)).await();
        writes.incrementAndGet();
      } catch (Exception | Error e) {
        if (batch.size() == 1) {
          notRecorded(batch.get(0), e);
          return;
        }
        JsonLog.warn(null, "a batch of webhook outcomes could not be recorded; recording them one by one",
            new JsonObject().put("outcomes", batch.size()).put("error", String.valueOf(e.getMessage())));
        for (Outcome outcome : batch) {
          try {
            database.inTransaction(conn -> store.record(conn, outcome)).await();
            writes.incrementAndGet();
          } catch (Exception | Error one) {
            notRecorded(outcome, one);
          }
        }
      }
    }

    private void notRecorded(Outcome outcome, Throwable e) {
      // Not recorded: the lease expires and the delivery is sent again (same webhook-id).
      JsonLog.error(null, "a webhook attempt could not be recorded; it is sent again when its lease ends", e,
          new JsonObject().put("deliveryId", outcome.deliveryId().toString()));
    }

    void close() {
      thread.interrupt();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(FAN_OUT_EVERY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deliveries were in flight", e);
    }
  }

  @Override
  public void close() {
    recorder.close();
    sender.close();
  }
}
