package io.leadcycle.functions.fileimport;

import static io.leadcycle.testing.HandlerCalls.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.imports.ImportService;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.runtime.Metrics;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import nudges score recalculation after each batch that committed imported rows (their contacts are
 * marked, and scoring starts while the rest of the file is read), never for a batch that imported nothing.
 */
class ImportScoringNudgeTest {

  @TempDir
  Path bucket;
  private final List<String> nudges = new CopyOnWriteArrayList<>();
  private final Nudge recording = reason -> nudges.add(reason + " with " + count("SELECT count(*) FROM contacts_to_rescore")
      + " committed mark(s)");

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void eachBatchThatImportedRowsNudgesOnceCommitted() {
    ImportFixtures.DirectoryFiles files = new ImportFixtures.DirectoryFiles(bucket);
    ImportService service = new ImportService(TestDatabase.database(), files, 2, recording);
    ImportJob job = service.create(ImportRequest.parse(new JsonObject()
        .put("entity", "contacts").put("fileName", "people.csv").getMap())).job();
    byte[] csv = """
        email,firstName
        ada@example.com,Ada
        grace@example.org,Grace
        not an address,Nobody
        also not one,Nobody
        lin@example.net,Lin
        """.getBytes(StandardCharsets.UTF_8);
    files.put(ImportFiles.keyOf(job.id(), job.fileName()), csv);

    ImportService.RunSummary run = service.run(job.id(), () -> new ByteArrayInputStream(csv), new Metrics());

    assertThat(run.job().status()).isEqualTo(ImportJob.COMPLETED_WITH_ERRORS);
    // Batches of two: Ada and Grace, the two refused rows (nothing imported: no nudge), then Lin.
    assertThat(nudges).containsExactly("import with 2 committed mark(s)", "import with 3 committed mark(s)");
  }
}
