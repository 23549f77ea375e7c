package io.leadcycle.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The Lambda execution environment a function runs in: whether it is one ({@link #inLambda}), and
 * SnapStart's runtime hooks (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html),
 * which the shared resources ({@code SharedDatabase}, {@code AwsResources}) and each function
 * ({@code LeadcycleFunction#prime}) join. It knows none of them: each module registers its own part, so
 * a function whose jar has no database has no database hook either.
 */
public final class LeadcycleRuntime {

  /** The variable Lambda sets for its runtime: present only in a Lambda execution environment. */
  static final String RUNTIME_API_VARIABLE = "AWS_LAMBDA_RUNTIME_API";

  private static final Priming PRIMING = new Priming();

  private LeadcycleRuntime() {
  }

  /** True in a Lambda execution environment (not on the local server, not in tests). */
  public static boolean inLambda() {
    return System.getenv(RUNTIME_API_VARIABLE) != null;
  }

  /** A shared resource's part in a snapshot (the database, a queue's client). */
  public interface SnapshotHook {

    /**
     * Before the snapshot: finish getting ready and run the code paths requests will use once, then let go
     * of connections and secrets, so that none is kept in the snapshot. Best effort: never fails a deploy.
     */
    void beforeSnapshot();

    /** After a restore: get ready again (in the background), with settings and secrets read afresh. */
    void afterRestore();
  }

  /** In a Lambda execution environment: {@code hook} takes part in SnapStart's snapshots (registered once by its owner). */
  public static void onSnapshot(SnapshotHook hook) {
    if (inLambda()) {
      register();
      PRIMING.resources.add(hook);
    }
  }

  /**
   * In a Lambda execution environment: {@code priming} is a function's own work before the snapshot (its
   * route table), run after the resources' hooks and as priming ({@link ColdStart#priming}).
   */
  public static void primeBeforeSnapshot(Runnable priming) {
    if (inLambda()) {
      register();
      PRIMING.functions.add(priming);
    }
  }

  private static void register() {
    if (!PRIMING.registered) {
      synchronized (PRIMING) {
        if (!PRIMING.registered) {
          Core.getGlobalContext().register(PRIMING);
          PRIMING.registered = true;
        }
      }
    }
  }

  /**
   * The one CRaC resource: before the snapshot, each resource's hook (in the order they registered), then
   * each function's priming; after a restore, the cold start is reset and each resource gets ready again.
   */
  static final class Priming implements Resource {

    private final List<SnapshotHook> resources = new CopyOnWriteArrayList<>();
    private final List<Runnable> functions = new CopyOnWriteArrayList<>();
    private volatile boolean registered;

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
      resources.forEach(SnapshotHook::beforeSnapshot);
      // Priming builds what requests use but sends no event; were one added, it would not take the cold start.
      ColdStart.priming(() -> functions.forEach(Runnable::run));
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
      ColdStart.afterRestore();
      resources.forEach(SnapshotHook::afterRestore);
    }
  }
}
