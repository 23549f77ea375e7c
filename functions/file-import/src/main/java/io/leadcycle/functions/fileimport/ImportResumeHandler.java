package io.leadcycle.functions.fileimport;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.imports.ImportService;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.runtime.ImportFiles;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The import sweeper (every 5 minutes in AWS): resumes the imports whose run died — its lease ended and
 * no retry took the job over, as S3's two quick retries of an event often cannot — from their committed
 * rows ({@link ImportService#resumeAbandoned}). So a job is never left {@code running} without a run.
 */
public final class ImportResumeHandler extends ScheduledFunction {

  /** Jobs one sweep resumes at most, one after another; the next sweep takes the rest. */
  static final int MAX_JOBS = 10;

  private final Supplier<Database> database;
  private final Supplier<ImportFiles> files;
  private final Supplier<Nudge> scoringNudge;

  /** The constructor Lambda calls: the database and the bucket come from the environment. */
  public ImportResumeHandler() {
    this.database = SharedDatabase.warmingUp();
    this.files = AwsResources.IMPORT_FILES;
    this.scoringNudge = AwsResources.SCORING_NUDGE;
  }

  public ImportResumeHandler(Supplier<Database> database, ImportFiles files) {
    this(database, files, Nudge.NONE);
  }

  /** As Lambda's, with {@code scoringNudge} told after each batch that committed imported rows. */
  public ImportResumeHandler(Supplier<Database> database, ImportFiles files, Nudge scoringNudge) {
    this.database = database;
    this.files = () -> files;
    this.scoringNudge = () -> scoringNudge;
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    ImportService.Sweep sweep = new ImportService(database.get(), files.get(), ImportService.DEFAULT_BATCH_ROWS, scoringNudge.get())
        .resumeAbandoned(MAX_JOBS, invocation.metrics());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("importsResumed", sweep.resumed());
    summary.put("importsFailed", sweep.failed());
    summary.put("importsGivenUp", sweep.gaveUp());
    summary.put("importsHeldByAnotherRun", sweep.heldByAnotherRun());
    return summary;
  }
}
