package io.leadcycle.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V22 moved the qualification findings onto the default process's telemarketing-qualification stage: a database
 * at V21 with leads that have findings (and leads without) is migrated, and every value is kept where the lead now
 * reads it ({@code stage_fields -> 'telemarketing_qualification'}), every lead on {@code default} version 1.
 */
class QualificationMigrationTest {

  @Test
  void theFindingsOfExistingLeadsAreKeptAsTheirStageFields() throws SQLException {
    try (EmbeddedDatabase db = EmbeddedDatabase.temporary()) {
      flyway(db, "21").migrate();
      execute(db, """
          INSERT INTO leads (id, topic, context_kind, qualification) VALUES
            ('00000000-0000-0000-0000-000000000001', 'with findings', 'manual',
             '{"budget": "50k EUR", "need": "replace spreadsheets", "notes": "call after 3pm"}'),
            ('00000000-0000-0000-0000-000000000002', 'empty findings', 'manual', '{}'),
            ('00000000-0000-0000-0000-000000000003', 'no findings', 'manual', NULL)""");

      flyway(db, "22").migrate();

      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, "");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT topic, process_id, process_version, stage_fields::text AS fields"
              + " FROM leads ORDER BY id")) {
        rs.next();
        assertThat(rs.getString("fields")).isEqualTo("{\"telemarketing_qualification\": {\"need\": "
            + "\"replace spreadsheets\", \"notes\": \"call after 3pm\", \"budget\": \"50k EUR\"}}");
        assertThat(rs.getString("process_id")).isEqualTo("default");
        assertThat(rs.getInt("process_version")).isEqualTo(1);
        rs.next();
        assertThat(rs.getString("fields")).as("nothing recorded, nothing to show").isNull();
        rs.next();
        assertThat(rs.getString("fields")).isNull();
      }
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, "");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.columns"
              + " WHERE table_name = 'leads' AND column_name = 'qualification'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("one place for the findings").isZero();
      }
    }
  }

  private static Flyway flyway(EmbeddedDatabase db, String target) {
    return Flyway.configure().dataSource(db.jdbcUrl(), EmbeddedDatabase.USER, "")
        .locations("classpath:db/migration").target(target).load();
  }

  private static void execute(EmbeddedDatabase db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
