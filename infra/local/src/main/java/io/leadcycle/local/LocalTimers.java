package io.leadcycle.local;

import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.runtime.JsonLog;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local server's timers: the scheduled functions' stand-in for EventBridge rules, and the queues'
 * deliveries and buckets' scans. Each runs its work on a handler thread, never twice at once.
 */
final class LocalTimers implements AutoCloseable {

  /** A scheduled function's period when neither the environment nor the template sets one. */
  static final int DEFAULT_SCHEDULE_SECONDS = 5;

  private final Vertx vertx;
  private final HandlerThreads threads;
  private final List<Long> timers = new CopyOnWriteArrayList<>();

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
          every(seconds * 1000L, () -> scheduled.handleRequest(LocalEvents.scheduled(function.name(), Instant.now()), null));
        }
      }
    }
  }

  /** A timer that runs {@code work} on a handler thread, never twice at once (a slow run skips a tick). */
  void every(long millis, Runnable work) {
    AtomicBoolean running = new AtomicBoolean();
    timers.add(vertx.setPeriodic(millis, id -> {
      if (running.compareAndSet(false, true)) {
        threads.execute(() -> {
          try {
            work.run();
          } catch (RuntimeException | Error e) {
            JsonLog.error(null, "local timer work failed", e);
          } finally {
            running.set(false);
          }
        });
      }
    }));
  }

  @Override
  public void close() {
    timers.forEach(vertx::cancelTimer);
  }
}
