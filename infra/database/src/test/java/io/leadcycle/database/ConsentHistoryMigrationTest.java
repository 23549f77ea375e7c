package io.leadcycle.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V25 begins the consent history: a database at V22 with contacts that have consent (and contacts without) is
 * migrated, and every purpose each contact had is one entry, source migration, at the contact's updated_at — so the
 * contact's consent is the fold of its history from the start.
 */
class ConsentHistoryMigrationTest {

  @Test
  void everyExistingConsentIsOneEntryAtTheContactsLastChange() throws SQLException {
    try (EmbeddedDatabase db = EmbeddedDatabase.temporary()) {
      flyway(db, "22").migrate();
      execute(db, """
          INSERT INTO contacts (id, email, consent, updated_at) VALUES
            ('00000000-0000-0000-0000-000000000001', 'ada@example.com', '{"newsletter": true, "events": false}',
             '2026-03-01T10:00:00Z'),
            ('00000000-0000-0000-0000-000000000002', 'bob@example.com', '{}', '2026-03-02T10:00:00Z'),
            ('00000000-0000-0000-0000-000000000003', 'cy@example.com', NULL, '2026-03-03T10:00:00Z'),
            ('00000000-0000-0000-0000-000000000004', 'di@example.com', '{"linkedin:0": {"text": "v1"}}',
             '2026-03-04T10:00:00Z')""");

      flyway(db, "25").migrate();

      assertThat(rows(db, """
          SELECT right(contact_id::text, 1) || ' ' || purpose || '=' || value::text || ' ' || granted || ' '
                 || source_kind || ' ' || coalesce(source_id, '-') || ' ' || coalesce(submission_id, '-') || ' '
                 || actor || ' ' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
            FROM contact_consent_history ORDER BY id""")).containsExactly(
          "1 events=false false migration - - migration 2026-03-01 10:00",
          "1 newsletter=true true migration - - migration 2026-03-01 10:00",
          "4 linkedin:0={\"text\": \"v1\"} false migration - - migration 2026-03-04 10:00");
      assertThat(rows(db, """
          SELECT count(*) FROM contacts c
           WHERE coalesce(c.consent, '{}') IS DISTINCT FROM coalesce((SELECT jsonb_object_agg(purpose, value)
                   FROM contact_consent_history h WHERE h.contact_id = c.id), '{}')""")).containsExactly("0");
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

  private static List<String> rows(EmbeddedDatabase db, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, "");
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
