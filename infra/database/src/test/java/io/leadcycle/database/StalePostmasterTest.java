package io.leadcycle.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crashed run leaves in a persistent cluster's directory does not keep the next start from working,
 * and nothing that is not that run's PostgreSQL is ever stopped. (A real orphaned PostgreSQL, after a kill -9
 * of the local server, is infra/local's {@code LocalServerCrashTest}.)
 */
class StalePostmasterTest {

  @TempDir
  Path directory;

  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getLogger(StalePostmaster.class.getName());
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord logRecord) {
      if (logRecord.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(logRecord);
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void captureWarnings() {
    logger.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    logger.removeHandler(capture);
  }

  @Test
  void aPostmasterPidWhoseProcessIsGoneIsRemovedAndTheClusterStarts() throws Exception {
    Path cluster = clusterThatWasStoppedCleanly();
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    writePostmasterPid(cluster, finished.pid());

    try (EmbeddedDatabase db = EmbeddedDatabase.persistent(cluster)) {
      assertAnswers(db);
    }
    assertThat(warnings).singleElement().satisfies(warning ->
        assertThat(warning.getMessage()).contains("removed", "postmaster.pid", "pid " + finished.pid()));
  }

  @Test
  void aLiveProcessThatIsNoPostgresOfTheDirectoryIsLeftAloneAndItsPidFileRemoved() throws Exception {
    Path cluster = clusterThatWasStoppedCleanly();
    // A pid taken over by another program (as after a reboot): PostgreSQL alone would refuse to start.
    Process unrelated = new ProcessBuilder("sleep", "60").start();
    try {
      writePostmasterPid(cluster, unrelated.pid());

      try (EmbeddedDatabase db = EmbeddedDatabase.persistent(cluster)) {
        assertAnswers(db);
      }
      assertThat(unrelated.isAlive()).isTrue();
      assertThat(warnings).singleElement().satisfies(warning ->
          assertThat(warning.getMessage()).contains("pid " + unrelated.pid()));
    } finally {
      unrelated.destroyForcibly();
    }
  }

  @Test
  void aClusterARunningProgramHoldsIsRefusedAndKeepsRunning() throws Exception {
    Path cluster = directory.resolve("postgres");
    try (EmbeddedDatabase running = EmbeddedDatabase.persistent(cluster)) {
      long postmaster = Long.parseLong(Files.readAllLines(cluster.resolve("postmaster.pid")).get(0).strip());

      assertThatThrownBy(() -> EmbeddedDatabase.persistent(cluster))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is in use by this program");

      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);
      assertAnswers(running);
      assertThat(warnings).isEmpty();
    }
  }

  private Path clusterThatWasStoppedCleanly() {
    Path cluster = directory.resolve("postgres");
    EmbeddedDatabase.persistent(cluster).close();
    assertThat(cluster.resolve("postmaster.pid")).doesNotExist();
    return cluster;
  }

  /** As PostgreSQL writes it: the pid, then the data directory, start time, port and so on. */
  private static void writePostmasterPid(Path cluster, long pid) throws IOException {
    Files.writeString(cluster.resolve("postmaster.pid"),
        pid + "\n" + cluster + "\n1796567886\n41307\n/tmp\nlocalhost\n  2811059    983064\nready   \n");
  }

  private static void assertAnswers(EmbeddedDatabase db) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, "")) {
      assertThat(c.isValid(5)).isTrue();
    }
  }
}
