package io.leadcycle.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

  @Test
  void aPersistentClusterIsDurable(@TempDir Path directory) throws SQLException {
    try (EmbeddedDatabase db = EmbeddedDatabase.persistent(directory.resolve("postgres"))) {
      assertThat(show(db, "fsync")).isEqualTo("on");
      assertThat(show(db, "synchronous_commit")).isEqualTo("on");
      assertThat(show(db, "full_page_writes")).isEqualTo("on");
    }
  }

  @Test
  void aTemporaryClusterKeepsTheFastTestSettings() throws SQLException {
    try (EmbeddedDatabase db = EmbeddedDatabase.temporary()) {
      assertThat(show(db, "fsync")).isEqualTo("off");
      assertThat(show(db, "synchronous_commit")).isEqualTo("off");
    }
  }

  private static String show(EmbeddedDatabase db, String setting) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
