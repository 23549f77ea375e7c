package io.leadcycle.local;

import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.runtime.JsonLog;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local server's timers: the scheduled functions' stand-in for EventBridge rules, and the queues'
 * deliveries and buckets' scans. Each runs its work on a handler thread, never twice at once, and counts
 * the runs it has finished, so that a test can wait for the server's own time to pass by runs, not by
 * the clock.
 */
final class LocalTimers implements AutoCloseable {

  /** A scheduled function's period when neither the environment nor the template sets one. */
  static final int DEFAULT_SCHEDULE_SECONDS = 5;

  private final Vertx vertx;
  private final HandlerThreads threads;
  private final List<Long> timers = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> finishedRuns = new ConcurrentHashMap<>();

  LocalTimers(Vertx vertx, HandlerThreads threads) {
    this.vertx = vertx;
    this.threads = threads;
  }

  /**
   * Sends each scheduled function EventBridge's scheduled event every few seconds: the function's own
   * setting, else the global one, else what the template suggests, else 5 s; 0 runs it only by hand.
   */
  void schedule(LocalFunctions functions, Map<String, String> env) {
    for (LocalFunctions.Hosted function : functions.all()) {
      if (function.handler() instanceof ScheduledFunction scheduled) {
        int suggested = function.scheduleSeconds() != null ? function.scheduleSeconds() : DEFAULT_SCHEDULE_SECONDS;
        int seconds = LocalSettings.setting(env, "LEADCYCLE_SCHEDULE_SECONDS_" + LocalSettings.variable(function.name()),
            LocalSettings.setting(env, "LEADCYCLE_SCHEDULE_SECONDS", suggested));
        if (seconds > 0) {
          every(function.name(), seconds * 1000L, () -> scheduled.handleRequest(LocalEvents.scheduled(function.name(), Instant.now()), null));
        }
      }
    }
  }

  /**
   * A timer, named by its function, that runs {@code work} on a handler thread, never twice at once (a
   * slow run skips a tick).
   */
  void every(String function, long millis, Runnable work) {
    AtomicBoolean running = new AtomicBoolean();
    AtomicLong finished = new AtomicLong();
    if (finishedRuns.putIfAbsent(function, finished) != null) {
      throw new IllegalStateException("a second timer for " + function);
    }
    timers.add(vertx.setPeriodic(millis, id -> {
      if (running.compareAndSet(false, true)) {
        threads.execute(() -> {
          try {
            work.run();
          } catch (RuntimeException | Error e) {
            JsonLog.error(null, "local timer work failed", e);
          } finally {
            finished.incrementAndGet();
            running.set(false);
          }
        });
      }
    }));
  }

  /**
   * How many runs the timer of {@code function} has finished, failed ones too: a scheduled function's
   * runs, a queue's delivery rounds, a bucket's scans.
   */
  long finishedRuns(String function) {
    AtomicLong finished = finishedRuns.get(function);
    if (finished == null) {
      throw new IllegalArgumentException("No timer for " + function + "; timers: " + finishedRuns.keySet());
    }
    return finished.get();
  }

  @Override
  public void close() {
    timers.forEach(vertx::cancelTimer);
  }
}
