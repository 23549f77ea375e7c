package io.leadcycle.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * The import's baseline: plain SQL doing the same job on the same database (see BENCHMARKS.md).
 *
 * <ol>
 *   <li>{@code COPY} of the very file, streamed, into an unlogged staging table that numbers the rows in
 *       file order;</li>
 *   <li>{@code ANALYZE} of the staging table;</li>
 *   <li>one statement, one transaction: the valid rows' last row per normalized email ({@code DISTINCT ON
 *       (lower(btrim(email)))}, latest row first) with the email as its first row spells it (a later row
 *       that differs only in letter case keeps the stored spelling, as the product does), then
 *       {@code UPDATE ... FROM} of the contacts that already
 *       have that email, {@code INSERT ... WHERE NOT EXISTS} of the others (the normalized match columns
 *       computed as the domain code computes them) and a rescoring mark for every contact written
 *       ({@code contacts_to_rescore}, as the product marks what it changed).</li>
 * </ol>
 *
 * <p>Valid means what {@code ContactFields} checks: an email of at most 254 characters matching its
 * pattern, text fields of at most 200 characters, a phone of at most 50 characters with a digit.
 * {@code contacts} has no unique index on {@code email_norm} (writers serialize on advisory locks), so the
 * upsert is the update-then-insert pair rather than {@code ON CONFLICT}; the benchmark's database is not
 * written by anyone else meanwhile.
 */
final class ImportBaseline {

  static final String STAGING = "bench_import_staging";

  /** {@code ContactFields.EMAIL} in PostgreSQL's regular expressions. */
  static final String EMAIL_PATTERN = "^[^@[:space:][:cntrl:]]{1,64}@[^@[:space:][:cntrl:]]+\\.[^@[:space:].[:cntrl:]]+$";

  static final String VALID = "s.email IS NOT NULL AND length(s.email) <= 254 AND s.email ~ '" + EMAIL_PATTERN + "'"
      + " AND coalesce(length(s.first_name), 0) <= 200 AND coalesce(length(s.last_name), 0) <= 200"
      + " AND coalesce(length(s.company_name), 0) <= 200 AND coalesce(length(s.job_title), 0) <= 200"
      + " AND coalesce(length(s.country), 0) <= 200"
      + " AND (s.phone IS NULL OR s.phone = '' OR (length(s.phone) <= 50 AND s.phone ~ '[0-9]'))";

  /** {@code Normalize.text}: NFKC, trimmed, inner whitespace collapsed, case-folded; null when empty. */
  private static String text(String column) {
    return "nullif(lower(upper(regexp_replace(btrim(normalize(" + column + ", NFKC)), '\\s+', ' ', 'g'))), '')";
  }

  static final String UPSERT = """
      WITH latest AS (
        SELECT DISTINCT ON (lower(btrim(s.email)))
               lower(btrim(s.email)) AS email_norm, first_value(s.email) OVER spellings AS email,
               nullif(s.first_name, '') AS first_name,
               nullif(s.last_name, '') AS last_name, nullif(s.company_name, '') AS company_name,
               nullif(s.job_title, '') AS job_title, nullif(s.phone, '') AS phone, nullif(s.country, '') AS country
          FROM %1$s s
         WHERE %2$s
        WINDOW spellings AS (PARTITION BY lower(btrim(s.email)) ORDER BY s.line)
         ORDER BY lower(btrim(s.email)), s.line DESC),
      updated AS (
        UPDATE contacts c
           SET first_name = coalesce(l.first_name, c.first_name),
               last_name = coalesce(l.last_name, c.last_name), company_name = coalesce(l.company_name, c.company_name),
               job_title = coalesce(l.job_title, c.job_title), phone = coalesce(l.phone, c.phone),
               country = coalesce(l.country, c.country),
               first_name_norm = coalesce(%3$s, c.first_name_norm), last_name_norm = coalesce(%4$s, c.last_name_norm),
               company_name_norm = coalesce(%5$s, c.company_name_norm),
               phone_norm = coalesce(nullif(regexp_replace(l.phone, '[^0-9]', '', 'g'), ''), c.phone_norm),
               updated_at = now()
          FROM latest l
         WHERE c.email_norm = l.email_norm
        RETURNING c.id),
      inserted AS (
        INSERT INTO contacts (email, first_name, last_name, company_name, job_title, phone, country, email_norm,
                              first_name_norm, last_name_norm, company_name_norm, phone_norm)
        SELECT l.email, l.first_name, l.last_name, l.company_name, l.job_title, l.phone, l.country, l.email_norm,
               %3$s, %4$s, %5$s, nullif(regexp_replace(l.phone, '[^0-9]', '', 'g'), '')
          FROM latest l
         WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.email_norm = l.email_norm)
        RETURNING id),
      marked AS (
        INSERT INTO contacts_to_rescore (contact_id)
        SELECT id FROM updated UNION ALL SELECT id FROM inserted
        ON CONFLICT (contact_id) DO UPDATE SET marked_at = excluded.marked_at
        RETURNING 1)
      SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM updated), (SELECT count(*) FROM marked)"""
      .formatted(STAGING, VALID, text("l.first_name"), text("l.last_name"), text("l.company_name"));

  /** The baseline's figures and what it wrote. */
  record Result(long copied, double copySeconds, double analyzeSeconds, double upsertSeconds, long validRows,
      long distinctEmails, long inserted, long updated, long marked, String plan) {

    double seconds() {
      return copySeconds + analyzeSeconds + upsertSeconds;
    }

    double rowsPerSecond() {
      return copied / seconds();
    }
  }

  private ImportBaseline() {
  }

  /**
   * Runs the baseline on {@code c} (auto-commit) and drops its staging table again. With {@code explain} the
   * upsert runs under {@code EXPLAIN (ANALYZE, BUFFERS)} (slower: per-node timing) and its plan is returned; it
   * then reads what it inserted and marked from the tables, which are empty before the baseline.
   */
  static Result run(Connection c, Path file, boolean explain) throws SQLException, IOException {
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + STAGING);
      s.execute("CREATE UNLOGGED TABLE " + STAGING + " (line bigint GENERATED ALWAYS AS IDENTITY (CACHE 1000), "
          + "email text, first_name text, last_name text, company_name text, job_title text, phone text, country text)");
    }
    long t0 = System.nanoTime();
    long copied;
    try (InputStream in = Files.newInputStream(file)) {
      copied = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + STAGING
          + " (email, first_name, last_name, company_name, job_title, phone, country) FROM STDIN "
          + "(FORMAT csv, HEADER true, ENCODING 'UTF8')", in, 1 << 16);
    }
    long t1 = System.nanoTime();
    long inserted;
    long updated;
    long marked;
    try (Statement s = c.createStatement()) {
      s.execute("ANALYZE " + STAGING);
      long t2 = System.nanoTime();
      String plan = null;
      if (explain) {
        StringBuilder text = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + UPSERT)) {
          while (rs.next()) {
            text.append(rs.getString(1)).append('\n');
          }
        }
        plan = text.toString();
      }
      if (explain) {
        updated = 0;
        try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM contacts_to_rescore)")) {
          rs.next();
          inserted = rs.getLong(1);
          marked = rs.getLong(2);
        }
      } else {
        try (ResultSet rs = s.executeQuery(UPSERT)) {
          rs.next();
          inserted = rs.getLong(1);
          updated = rs.getLong(2);
          marked = rs.getLong(3);
        }
      }
      long t3 = System.nanoTime();
      long valid;
      long distinct;
      try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT lower(btrim(s.email))) FROM " + STAGING
          + " s WHERE " + VALID)) {
        rs.next();
        valid = rs.getLong(1);
        distinct = rs.getLong(2);
      }
      s.execute("DROP TABLE " + STAGING);
      return new Result(copied, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, valid, distinct, inserted, updated,
          marked, plan);
    }
  }
}
