package io.leadcycle.aws;

import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.runtime.Lazy;
import io.leadcycle.runtime.LeadcycleRuntime;
import io.leadcycle.runtime.Nudge;

/**
 * The AWS resources an execution environment shares, each built from the environment on first use: the
 * dead-letter queue ({@code DEAD_LETTER_QUEUE_URL}), the nudge queues ({@code NOTIFICATION_NUDGE_QUEUE_URL},
 * {@code SCORING_NUDGE_QUEUE_URL}, {@code SEGMENT_NUDGE_QUEUE_URL}) and the import bucket ({@code IMPORT_BUCKET}); without its
 * variable each is the port's {@code NONE}. A host with its own (the local server: in-memory queues, a
 * directory) installs them before it creates handlers. In a Lambda execution environment, those that are
 * configured are primed before a SnapStart snapshot (their clients built, nothing sent).
 */
public final class AwsResources {

  public static final Lazy<DeadLetters> DEAD_LETTERS = Lazy.of(() -> SqsDeadLetters.fromEnvironment(System.getenv()));
  public static final Lazy<Nudge> NOTIFICATION_NUDGE = nudgeFromEnvironment(Nudge.Target.NOTIFICATION);
  public static final Lazy<Nudge> SCORING_NUDGE = nudgeFromEnvironment(Nudge.Target.SCORING);
  public static final Lazy<Nudge> SEGMENT_NUDGE = nudgeFromEnvironment(Nudge.Target.SEGMENTS);
  public static final Lazy<ImportFiles> IMPORT_FILES = Lazy.of(() -> S3ImportFiles.fromEnvironment(System.getenv()));

  static {
    LeadcycleRuntime.onSnapshot(new LeadcycleRuntime.SnapshotHook() {
      @Override
      public void beforeSnapshot() {
        var env = System.getenv();
        if (env.get(SqsDeadLetters.QUEUE_URL_VARIABLE) != null) {
          DEAD_LETTERS.get().prime();
        }
        for (Nudge.Target target : Nudge.Target.values()) {
          if (env.get(target.queueUrlVariable()) != null) {
            nudge(target).get().prime();
          }
        }
        if (env.get(S3ImportFiles.BUCKET_VARIABLE) != null) {
          IMPORT_FILES.get().prime();
        }
      }

      @Override
      public void afterRestore() {
      }
    });
  }

  private AwsResources() {
  }

  /** The nudge to {@code target}'s queue. */
  public static Lazy<Nudge> nudge(Nudge.Target target) {
    return switch (target) {
      case NOTIFICATION -> NOTIFICATION_NUDGE;
      case SCORING -> SCORING_NUDGE;
      case SEGMENTS -> SEGMENT_NUDGE;
    };
  }

  private static Lazy<Nudge> nudgeFromEnvironment(Nudge.Target target) {
    return Lazy.of(() -> SqsNudge.fromEnvironment(target, System.getenv()));
  }
}
