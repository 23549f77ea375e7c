package io.leadcycle.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether an invocation is the first of its execution environment: the {@code coldStart} member of every
 * closing log line. One JVM is one execution environment (in Lambda; the local server is one too).
 *
 * <p>For SnapStart / CRaC priming, two calls and nothing else:
 * <ul>
 *   <li>{@link #priming(Runnable)} around work that warms the environment before a checkpoint (invoking
 *       handlers with made-up events): its invocations neither take the cold start nor emit metrics, so
 *       made-up events never reach the dashboard or an alarm;</li>
 *   <li>{@link #afterRestore()} from the {@code afterRestore} hook: the restored environment's first real
 *       invocation counts as cold again, whatever ran before the checkpoint.</li>
 * </ul>
 */
public final class ColdStart {

  private static final AtomicBoolean COLD = new AtomicBoolean(true);
  private static final AtomicInteger PRIMING = new AtomicInteger();

  private ColdStart() {
  }

  /** Runs {@code work} as priming: invocations inside it are neither cold nor counted in metrics. */
  public static void priming(Runnable work) {
    PRIMING.incrementAndGet();
    try {
      work.run();
    } finally {
      PRIMING.decrementAndGet();
    }
  }

  /** After a restore from a snapshot: the next invocation is the first of this environment again. */
  public static void afterRestore() {
    COLD.set(true);
  }

  /** Whether priming work is running now. */
  public static boolean isPriming() {
    return PRIMING.get() > 0;
  }

  /** True for exactly one invocation after the JVM started (or after a restore); never while priming. */
  public static boolean take() {
    return !isPriming() && COLD.getAndSet(false);
  }
}
