package io.leadcycle.functions.fileimport;

import io.leadcycle.aws.AwsResources;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.imports.ImportService;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.S3Function;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.ImportFiles;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Reads an imported file when it lands in the import bucket ({@code imports/<job id>/<name>}) and runs
 * its job ({@link ImportService#run}). An object that is no import's file is refused (logged, not
 * retried); a second event for a file whose job is finished reads nothing and is noted on the job (an
 * {@code upload_ignored} warning), one for a job another run holds is thrown back for later; a database failure
 * is thrown, so Lambda retries and the retry takes over after the committed rows.
 */
public final class FileImportHandler extends S3Function {

  private final Supplier<Database> database;

  private final Supplier<ImportFiles> files;
  private final Supplier<Nudge> scoringNudge;

  /** The constructor Lambda calls: the database and the bucket come from the environment. */
  public FileImportHandler() {
    this.database = SharedDatabase.warmingUp();
    this.files = AwsResources.IMPORT_FILES;
    this.scoringNudge = AwsResources.SCORING_NUDGE;
  }

  public FileImportHandler(Supplier<Database> database, ImportFiles files) {
    this(database, files, Nudge.NONE);
  }

  /** As Lambda's, with {@code scoringNudge} told after each batch that committed imported rows. */
  public FileImportHandler(Supplier<Database> database, ImportFiles files, Nudge scoringNudge) {
    this.database = database;
    this.files = () -> files;
    this.scoringNudge = () -> scoringNudge;
  }

  @Override
  protected void objectCreated(CreatedObject object, Invocation invocation) {
    UUID jobId = ImportFiles.jobOf(object.key());
    if (jobId == null) {
      throw new InvalidInput("key", "not an import file (imports/<import id>/<file name>): " + object.key());
    }
    invocation.put("importId", jobId.toString());
    ImportService.RunSummary summary = new ImportService(database(), files.get(), ImportService.DEFAULT_BATCH_ROWS, scoringNudge.get())
        .run(jobId, () -> files.get().open(object.bucket(), object.key()), invocation.metrics());
    invocation.put("status", summary.job().status()).put("rowsRead", summary.job().rowsRead())
        .put("failed", summary.job().counts().failed());
    if (!summary.ran()) {
      invocation.put("skipped", summary.skippedBecause());
    }
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
