package io.leadcycle.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The ceiling: pgbench running, per transaction, the statements {@code IntakeService} runs for a
 * brand-new contact on a form with the default strategies (contact by email, lead by email and
 * marketing context), in the same order, with the same SQL text as the stores in
 * {@code shared/src/main/java/io/leadcycle/store/}. Values that the product binds as parameters are
 * literals or expressions here; ids come back through {@code \gset} as they come back to the product.
 */
final class PgbenchIntake {

  /** What pgbench reported. */
  record Result(double tps, double latencyAverageMs, long transactions, long failed, Histogram latencyMicros,
      String command, String output) {
  }

  private PgbenchIntake() {
  }

  /** True when {@code pgbench} is on the PATH. */
  static boolean available() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pgbench"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The transaction script; it reads the same in every pgbench protocol ({@code -M simple, extended,
   * prepared}) because its only variables are numbers. Intake takes no lead lock: a new contact has no
   * lead to match.
   */
  static String script(String formId, String formName) {
    // The submission key (the product uses the webhook-id) and the email, unique per transaction.
    String key = "('pgb-' || CAST(:client_id AS text) || '-' || CAST(:n AS text))";
    String email = "('pgb-' || CAST(:client_id AS text) || '-' || CAST(:n AS text) || '@example.com')";
    String form = "'" + formId + "'";
    String name = "'" + formName + "'";
    // The product chooses its ids in Java; here they are derived from the key inline, at no extra round trip.
    String contactId = "CAST(md5('c' || " + key + ") AS uuid)";
    String leadId = "CAST(md5('l' || " + key + ") AS uuid)";
    String interactionId = "CAST(md5('i' || " + key + ") AS uuid)";
    String fields = "jsonb_build_object('email', " + email + ", 'firstName', 'Bench')";
    List<String> lines = new ArrayList<>();
    lines.add("-- Leadcycle intake, brand-new contact: the statements of IntakeService.submit, in its order.");
    lines.add("\\set n random(1, 1000000000000)");
    lines.add("BEGIN;");
    // IntakeReceiptStore.claim
    // ... with the request's hash (RequestHash: SHA-256, 64 hex digits, computed in Java by the product)
    lines.add("INSERT INTO intake_receipts (form_id, submission_key, request_hash) VALUES (" + form + ", " + key
        + ", md5(" + key + ") || md5('h' || " + key + ")) ON CONFLICT (form_id, submission_key) DO NOTHING;");
    // AdvisoryLocks.lock(contact key): MatchKey.lockName() = entity, then field=value, separated by U+001F
    lines.add("SELECT pg_advisory_xact_lock(hashtextextended('contact' || chr(31) || 'email=' || " + email + ", 0));");
    // ContactStore.findMatch
    lines.add("SELECT id, account_id, email, first_name, last_name, phone, company_name, job_title, country,"
        + " attributes, consent, created_at, updated_at FROM contacts c WHERE c.email_norm = " + email
        + " ORDER BY c.created_at, c.id LIMIT 1 FOR UPDATE;");
    // TombstoneStore.check: the submission's id and the keyed hashes of its email and phone (HMAC in Java;
    // here a 64-hex-digit stand-in), looked up by primary key among the erasures' tombstones
    lines.add("SELECT (SELECT erasure_id FROM erasure_keys WHERE source_key = 'form:' || " + form + " || ':' || " + key
        + ") AS replay_of, (SELECT erasure_id FROM erasure_hashes WHERE hash = ANY (SELECT decode(h, 'hex')"
        + " FROM unnest(ARRAY[md5(" + email + ") || md5('e' || " + email + ")]) AS h) LIMIT 1) AS erased_as;");
    // No match: IntakeService.newPerson. ContactStore.insert (no account)
    lines.add("INSERT INTO contacts (email, first_name, last_name, phone, company_name, job_title, country,"
        + " attributes, consent, email_norm, first_name_norm, last_name_norm, phone_norm, company_name_norm,"
        + " account_id, id) VALUES (" + email + ", 'Bench', NULL, NULL, NULL, NULL, NULL, '{}'::jsonb, NULL, " + email
        + ", 'bench', NULL, NULL, NULL, NULL, " + contactId + ");");
    // LeadCreation.create (a new contact has no lead to match): the lead, its first timeline entry and
    // its lead.created event, sent together
    lines.add("INSERT INTO leads (id, contact_id, account_id, topic, context_kind, context_id, context_name,"
        + " context_tile_id, context_details, submitted_fields, email_norm, first_name_norm, last_name_norm, phone_norm,"
        + " company_name_norm, process_id, stage, process_version, created_at, updated_at) VALUES (" + leadId + ", "
        + contactId + ", NULL, " + name + ", 'marketing_page', " + form + ", " + name + ", NULL, NULL, " + fields + ", "
        + email + ", 'bench', NULL, NULL, NULL, 'default', 'inquiry', 1, now(), now());");
    lines.add("INSERT INTO lead_timeline (lead_id, field, from_value, to_value, actor, reason) VALUES (" + leadId
        + ", 'stage', NULL, 'inquiry', 'intake', 'submitted to form ' || " + form + ");");
    lines.add("INSERT INTO outbox (type, lead_id, payload) VALUES ('lead.created', " + leadId
        + ", jsonb_build_object('schemaVersion', 2, 'lead', jsonb_build_object('id', " + leadId + ", 'topic', " + name
        + ", 'contactId', " + contactId + ", 'stage', 'inquiry', 'status', 'open'), 'changes',"
        + " jsonb_build_array(jsonb_build_object('field', 'stage', 'from', NULL, 'to', 'inquiry')),"
        + " 'actor', 'intake', 'reason', 'submitted to form ' || " + form + "));");
    // InteractionStore.record
    lines.add("INSERT INTO interactions (id, contact_id, type, occurred_at, context_kind, context_id, context_name,"
        + " source_key, payload) VALUES (" + interactionId + ", " + contactId + ", 'form_submitted', now(),"
        + " 'marketing_page', " + form + ", " + name + ", 'form:' || " + form + " || ':' || " + key
        + ", jsonb_build_object('fields', " + fields + ")) RETURNING id;");
    // RescoringMarks.mark: the rescoring mark and, in the same statement, the segment-evaluation mark
    lines.add("WITH segment_facts AS (INSERT INTO contacts_to_resegment (contact_id) VALUES (" + contactId + ")"
        + " ON CONFLICT (contact_id) DO UPDATE SET marked_at = now(), claimed_until = NULL)"
        + " INSERT INTO contacts_to_rescore (contact_id) VALUES (" + contactId + ")"
        + " ON CONFLICT (contact_id) DO UPDATE SET marked_at = now(), claimed_until = NULL;");
    // IntakeReceiptStore.complete, with the response IntakeResult.toJson() stores and the submission as received
    lines.add("UPDATE intake_receipts SET status = 201, response = jsonb_build_object('submissionId', " + key
        + ", 'contact', jsonb_build_object('id', " + contactId + ", 'created', true, 'updated', false)"
        + ", 'lead', jsonb_build_object('id', " + leadId + ", 'created', true, 'updated', false)"
        + ", 'interactionId', " + interactionId + ", 'replayed', false)"
        + ", received = jsonb_build_object('fields', " + fields + ")"
        + ", outcome = 'contact created, lead created'"
        + " WHERE form_id = " + form + " AND submission_key = " + key + ";");
    lines.add("COMMIT;");
    return String.join("\n", lines) + "\n";
  }

  /** Runs pgbench for {@code seconds} with {@code clients} connections, logging every transaction. */
  static Result run(Path workDirectory, String name, String script, int port, int clients, int seconds,
      String protocol) {
    try {
      Path scriptFile = workDirectory.resolve("intake.pgbench.sql");
      Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
      Path logDirectory = Files.createDirectories(workDirectory.resolve("pgbench-log-" + name));
      int threads = Math.min(2, clients);
      List<String> command = List.of("pgbench", "-n", "-c", Integer.toString(clients), "-j", Integer.toString(threads),
          "-T", Integer.toString(seconds), "-M", protocol, "-f", scriptFile.toString(),
          "--log", "--log-prefix=" + logDirectory.resolve("tx"),
          "-h", "localhost", "-p", Integer.toString(port), "-U", "postgres", "postgres");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("PGSSLMODE", "disable");
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("pgbench did not finish:\n" + output);
      }
      String shown = String.join(" ", command);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("pgbench failed (exit " + process.exitValue() + "): " + shown + "\n" + output
            + "\nscript (" + scriptFile + "):\n" + script);
      }
      double tps = number(output, "tps = ([0-9.]+) \\(without initial connection time\\)");
      double latency = number(output, "latency average = ([0-9.]+) ms");
      long transactions = (long) number(output, "number of transactions actually processed: ([0-9]+)");
      Matcher failedMatch = Pattern.compile("number of failed transactions: ([0-9]+)").matcher(output);
      long failed = failedMatch.find() ? Long.parseLong(failedMatch.group(1)) : 0;
      return new Result(tps, latency, transactions, failed, latencies(logDirectory), shown, output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Several runs as one: tps weighted by each run's duration, latencies merged. */
  static Result combine(List<Result> runs) {
    if (runs.size() == 1) {
      return runs.get(0);
    }
    long transactions = 0;
    long failed = 0;
    double seconds = 0;
    double latencyTotal = 0;
    Histogram latencies = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    for (Result run : runs) {
      transactions += run.transactions();
      failed += run.failed();
      seconds += run.transactions() / run.tps();
      latencyTotal += run.latencyAverageMs() * run.transactions();
      latencies.add(run.latencyMicros());
    }
    Result last = runs.get(runs.size() - 1);
    return new Result(transactions / seconds, latencyTotal / transactions, transactions, failed, latencies,
        last.command() + "   (x" + runs.size() + ")", last.output());
  }

  private static double number(String output, String regex) {
    Matcher m = Pattern.compile(regex).matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("cannot find /" + regex + "/ in pgbench's output:\n" + output);
    }
    return Double.parseDouble(m.group(1));
  }

  /** Per-transaction log lines: {@code client_id transaction_no latency_us script_no epoch us}. */
  private static Histogram latencies(Path logDirectory) throws IOException {
    Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    try (Stream<Path> files = Files.list(logDirectory)) {
      for (Path file : files.toList()) {
        try (Stream<String> lines = Files.lines(file)) {
          lines.forEach(line -> {
            String[] f = line.split(" ");
            if (f.length >= 3 && f[2].chars().allMatch(Character::isDigit)) {
              histogram.recordValue(Math.max(1, Long.parseLong(f[2])));
            }
          });
        }
      }
    }
    return histogram;
  }
}
