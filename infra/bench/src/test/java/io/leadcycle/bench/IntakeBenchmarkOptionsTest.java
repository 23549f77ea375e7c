package io.leadcycle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The intake benchmark's CI mode and its dated table of runs (no benchmark is run here). */
class IntakeBenchmarkOptionsTest {

  @Test
  void shortModeIsAFewThousandSubmissionsAndAFewSecondsOfPgbenchUnlessSaidOtherwise() {
    IntakeBenchmark.Options o = IntakeBenchmark.Options.parse(new String[] {"--short"});
    assertThat(o.shortMode()).isTrue();
    assertThat(o.requests()).isEqualTo(3_000);
    assertThat(o.warmup()).isEqualTo(500);
    assertThat(o.pgbenchSeconds()).isEqualTo(4);
    assertThat(o.warmupSlice()).isEqualTo(500);
    assertThat(o.warmupMax()).as("CI's warm-up stays short").isEqualTo(2_000);

    IntakeBenchmark.Options sized = IntakeBenchmark.Options.parse(new String[] {"--requests", "5000", "--short"});
    assertThat(sized.requests()).isEqualTo(5_000);
    assertThat(sized.warmup()).isEqualTo(500);

    IntakeBenchmark.Options full = IntakeBenchmark.Options.parse(new String[] {"--jfr", "x.jfr"});
    assertThat(full.shortMode()).isFalse();
    assertThat(full.requests()).isEqualTo(20_000);
    assertThat(full.jfr()).isEqualTo(Path.of("x.jfr").toAbsolutePath());
    assertThat(full.warmup()).isEqualTo(2_000);
    assertThat(full.warmupMax()).isEqualTo(60_000);
    assertThat(full.warmupJitMicros()).isEqualTo(25);
    assertThat(full.backgroundDuring()).as("other functions held back by default").isFalse();
    assertThat(full.statements()).isZero();
  }

  @Test
  void theOtherFunctionsCanRunDuringThePhasesAndAWarmUpCapBelowTheMinimumIsTheMinimum() {
    IntakeBenchmark.Options o = IntakeBenchmark.Options.parse(new String[] {"--background", "during", "--warmup",
        "5000", "--warmup-max", "1000", "--statements", "10"});
    assertThat(o.backgroundDuring()).isTrue();
    assertThat(o.warmupMax()).isEqualTo(5_000);
    assertThat(o.statements()).isEqualTo(10);
  }

  @Test
  void aRecordedRowGoesAtTheEndOfTheRunsTable(@TempDir Path dir) throws Exception {
    Path doc = dir.resolve("performance.md");
    Files.writeString(doc, "# Performance\n\n" + RunTable.HEADER + " throughput |\n|---|---|---|---|---|---|\n"
        + "| 2026-12-01 10:00 | full | 0.30 | 61.5 ms | 1300 µs | a |\n\nAfter the table.\n");

    RunTable.append(doc, "| 2026-12-06 17:00 | short | 0.40 | 40.0 ms | 700 µs | b |");

    assertThat(Files.readString(doc)).endsWith("| 2026-12-01 10:00 | full | 0.30 | 61.5 ms | 1300 µs | a |\n"
        + "| 2026-12-06 17:00 | short | 0.40 | 40.0 ms | 700 µs | b |\n\nAfter the table.\n");
  }
}
