package io.leadcycle.testing;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * How a test waits for what the code does on its own time (a timer's run, a queue's delivery, a lock
 * another session holds): until a condition the code exposes holds, never for a length of time, and a
 * wait that gives up fails the test, saying what it waited for. The patience is long because it only
 * matters when something is wrong: on a loaded machine a slow pass still passes.
 */
public final class Waiting {

  /** How long a wait lasts before it fails the test. */
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  private static final long LOOK_EVERY_MILLIS = 50;

  /** A look at the code's state; it may throw (an HTTP call, a query), which fails the wait. */
  @FunctionalInterface
  public interface Look<T> {
    T get() throws Exception;
  }

  private Waiting() {
  }

  /** Waits until {@code condition} holds; fails with "waited ... for {@code what}" after {@link #PATIENCE}. */
  public static void until(String what, Look<Boolean> condition) {
    until(what, PATIENCE, condition);
  }

  /** As {@link #until(String, Look)}, failing after {@code within}. */
  public static void until(String what, Duration within, Look<Boolean> condition) {
    look(what, within, condition, Boolean.TRUE::equals, false);
  }

  /** Looks until what it sees is {@code done}, and returns that; fails after {@link #PATIENCE}, with the last look. */
  public static <T> T poll(String what, Look<T> look, Predicate<? super T> done) {
    return poll(what, PATIENCE, look, done);
  }

  /** As {@link #poll(String, Look, Predicate)}, failing after {@code within}. */
  public static <T> T poll(String what, Duration within, Look<T> look, Predicate<? super T> done) {
    return look(what, within, look, done, true);
  }

  private static <T> T look(String what, Duration within, Look<T> look, Predicate<? super T> done, boolean tellLast) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      T seen;
      try {
        seen = look.get();
      } catch (Exception e) {
        throw new AssertionError("could not look while waiting for " + what + ": " + e, e);
      }
      if (done.test(seen)) {
        return seen;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("waited " + (within.toMillis() < 1000 ? within.toMillis() + " ms" : within.toSeconds() + " s")
            + " for " + what + ", in vain" + (tellLast ? "; last seen: " + seen : ""));
      }
      try {
        Thread.sleep(LOOK_EVERY_MILLIS); // the pace of looking, not a wait for something to happen
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
