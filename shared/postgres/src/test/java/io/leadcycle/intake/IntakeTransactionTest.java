package io.leadcycle.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.Submission;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.Failures;
import io.leadcycle.store.FormStore;
import io.leadcycle.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Intake's transaction sends BEGIN and COMMIT with its statements instead of waiting for answers in between
 * (Database.inIdempotentTransaction). A statement that fails must still leave nothing written and be reported
 * as itself, whichever statement of the pipeline it is, and the connection must go back to the pool with no
 * transaction open. The failures are made by test triggers on the real tables.
 */
class IntakeTransactionTest {

  /** One connection, so a transaction left open would meet the next submission. */
  private Database database;
  private final FormStore forms = new FormStore();
  private IntakeService intake;
  private Form form;

  @BeforeEach
  void setUp() {
    TestDatabase.reset();
    dropTriggers();
    database = Database.connect(TestDatabase.settings(1), 1);
    intake = new IntakeService(database);
    forms.put(database.pool(), FormDefinition.parse("launch", Map.of("name", "Launch page", "kind", "marketing_page")),
        "whsec_c2VjcmV0").await();
    form = forms.find(database.pool(), "launch").await();
  }

  @AfterEach
  void tearDown() {
    dropTriggers();
    database.close();
  }

  private static void dropTriggers() {
    sql("""
        DROP TRIGGER IF EXISTS test_refuse ON contacts_to_rescore;
        DROP TRIGGER IF EXISTS test_refuse ON leads;
        DROP TRIGGER IF EXISTS test_refuse_at_commit ON contacts_to_rescore;
        DROP FUNCTION IF EXISTS test_refuse();
        DROP FUNCTION IF EXISTS test_abort_once();
        DROP SEQUENCE IF EXISTS test_attempts""");
  }

  private static void sql(String statements) {
    TestDatabase.database().pool().query(statements).execute().await();
  }

  /** Every insert into {@code table} fails with SQLSTATE {@code state}. */
  private static void refuseInsertsInto(String table, String state) {
    sql("CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "RAISE EXCEPTION 'refused by the test' USING ERRCODE = '" + state + "'; END $$");
    sql("CREATE TRIGGER test_refuse BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION test_refuse()");
  }

  private Submission submission(String key, String firstName) {
    return Submission.parse(key, null, Map.of("email", "ada@example.com", "firstName", firstName), null, form);
  }

  private static Throwable failureOf(io.vertx.core.Future<?> future) {
    return catchThrowable(future::await);
  }

  private static void assertNothingWritten() {
    for (String table : new String[] {"contacts", "leads", "lead_timeline", "outbox", "interactions",
        "contacts_to_rescore", "intake_receipts"}) {
      assertThat(TestDatabase.count("SELECT count(*) FROM " + table)).as(table).isZero();
    }
  }

  /** No connection of the test database sits in a transaction between submissions. */
  private static void assertNoTransactionLeftOpen() {
    assertThat(TestDatabase.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        + "AND state LIKE 'idle in transaction%'")).isZero();
  }

  @Test
  void aFailureOfTheLastPipelinedStatementLeavesNothingWrittenAndIsReportedAsItself() {
    // Marking the contact for rescoring is the last statement, sent together with COMMIT.
    refuseInsertsInto("contacts_to_rescore", "P0001");

    Throwable failure = failureOf(intake.submit(form, submission("s-1", "Ada"), null));

    assertThat(Failures.sqlState(failure)).isEqualTo("P0001");
    assertThat(failure).hasMessageContaining("refused by the test");
    assertNothingWritten();
    assertNoTransactionLeftOpen();

    // The key was not kept either: the same submission, once the table takes it, is new (not a replay).
    dropTriggers();
    IntakeResult result = intake.submit(form, submission("s-1", "Ada"), null).await();
    assertThat(result.replayed()).isFalse();
    assertThat(result.contact().created()).isTrue();
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM intake_receipts WHERE response IS NOT NULL")).isEqualTo(1);
  }

  @Test
  void aFailureOfTheLastStatementForAKnownPersonLeavesTheirFirstSubmissionAsItWas() {
    IntakeResult first = intake.submit(form, submission("s-1", "Ada"), null).await();
    sql("DELETE FROM contacts_to_rescore");
    refuseInsertsInto("contacts_to_rescore", "P0001");

    Throwable failure = failureOf(intake.submit(form, submission("s-2", "Augusta"), null));

    assertThat(Failures.sqlState(failure)).isEqualTo("P0001");
    assertNoTransactionLeftOpen();
    // The contact update, the lead's merged fields, the interaction and the receipt of s-2 were rolled back.
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts WHERE first_name = 'Ada'")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM leads WHERE submitted_fields->>'firstName' = 'Ada'"))
        .isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM interactions")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM intake_receipts")).isEqualTo(1);
    assertThat(intake.submit(form, submission("s-1", "Ada"), null).await().replayed()).isTrue();
    assertThat(first.contact().created()).isTrue();
  }

  @Test
  void aFailureEarlierInThePipelineIsReportedAsItselfNotAsTheAbortedStatementsAfterIt() {
    // The lead's insert goes out before the timeline, outbox, receipt, interaction and mark, which then fail
    // with "current transaction is aborted" (25P02): the answer is the lead's failure, as before.
    refuseInsertsInto("leads", "P0001");

    Throwable failure = failureOf(intake.submit(form, submission("s-1", "Ada"), null));

    assertThat(Failures.sqlState(failure)).isEqualTo("P0001");
    assertNothingWritten();
    assertNoTransactionLeftOpen();
  }

  @Test
  void aFailureAtCommitLeavesNothingWrittenAndIsReportedAsItself() {
    // A deferred constraint trigger fails on COMMIT itself, after every statement succeeded.
    sql("CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "RAISE EXCEPTION 'refused at commit' USING ERRCODE = '23514'; END $$");
    sql("CREATE CONSTRAINT TRIGGER test_refuse_at_commit AFTER INSERT ON contacts_to_rescore "
        + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse()");

    Throwable failure = failureOf(intake.submit(form, submission("s-1", "Ada"), null));

    assertThat(Failures.sqlState(failure)).isEqualTo("23514");
    assertThat(failure).hasMessageContaining("refused at commit");
    assertNothingWritten();
    assertNoTransactionLeftOpen();
  }

  @Test
  void aSerializationFailureOfTheLastStatementRunsTheSubmissionOnceMore() {
    // PostgreSQL asks for the transaction to be run again (40001): it is, once, as before.
    sql("CREATE SEQUENCE test_attempts");
    sql("CREATE FUNCTION test_abort_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "IF nextval('test_attempts') = 1 THEN RAISE EXCEPTION 'try again' USING ERRCODE = '40001'; END IF; "
        + "RETURN NEW; END $$");
    sql("CREATE TRIGGER test_refuse BEFORE INSERT ON contacts_to_rescore FOR EACH ROW "
        + "EXECUTE FUNCTION test_abort_once()");

    IntakeResult result = intake.submit(form, submission("s-1", "Ada"), null).await();

    assertThat(result.replayed()).isFalse();
    assertThat(result.contact().created()).isTrue();
    assertThat(TestDatabase.count("SELECT last_value FROM test_attempts")).isEqualTo(2);
    for (String table : new String[] {"contacts", "leads", "interactions", "contacts_to_rescore", "intake_receipts"}) {
      assertThat(TestDatabase.count("SELECT count(*) FROM " + table)).as(table).isEqualTo(1);
    }
    assertNoTransactionLeftOpen();
  }

  @Test
  void aFailureBeforeTheLastStatementsRollsBackAndFreesTheConnection() {
    // A key reused for another request is refused after the claim, before any write: the transaction is
    // rolled back here (no COMMIT went out), and the pool's one connection serves the next submission.
    intake.submit(form, submission("s-1", "Ada"), null, Sender.SIGNED, "hash-1").await();

    Throwable failure = failureOf(intake.submit(form, submission("s-1", "Augusta"), null, Sender.SIGNED, "hash-2"));

    assertThat(failure).isInstanceOf(Conflict.class);
    assertNoTransactionLeftOpen();
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts WHERE first_name = 'Ada'")).isEqualTo(1);
    assertThat(intake.submit(form, submission("s-2", "Augusta"), null).await().contact().updated()).isTrue();
    assertThat(TestDatabase.count("SELECT count(*) FROM intake_receipts")).isEqualTo(2);
  }

  @Test
  void racingDeliveriesOfOneSubmissionWhoseFirstFailsLastMakeOneOfEachAndReplayIt() throws Exception {
    // The first transaction to reach the mark fails there (not a retryable failure): it is answered with its
    // failure, and the deliveries that waited for its receipt claim the key after its rollback: one of them
    // creates, the others replay that one's answer.
    sql("CREATE SEQUENCE test_attempts");
    sql("CREATE FUNCTION test_abort_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "IF nextval('test_attempts') = 1 THEN PERFORM pg_sleep(0.2); "
        + "RAISE EXCEPTION 'refused once' USING ERRCODE = 'P0001'; END IF; RETURN NEW; END $$");
    sql("CREATE TRIGGER test_refuse BEFORE INSERT ON contacts_to_rescore FOR EACH ROW "
        + "EXECUTE FUNCTION test_abort_once()");
    IntakeService shared = new IntakeService(TestDatabase.database()); // 16 connections: a real race
    int deliveries = 8;
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(deliveries);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<IntakeResult>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < deliveries; i++) {
      answers.add(threads.submit(() -> {
        start.await();
        return shared.submit(form, submission("s-1", "Ada"), null).await();
      }));
    }
    start.countDown();
    int failed = 0;
    List<IntakeResult> results = new java.util.ArrayList<>();
    for (java.util.concurrent.Future<IntakeResult> answer : answers) {
      try {
        results.add(answer.get());
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(Failures.sqlState(e.getCause())).isEqualTo("P0001");
        failed++;
      }
    }
    threads.shutdown();

    assertThat(failed).isEqualTo(1);
    assertThat(results).filteredOn(r -> !r.replayed()).hasSize(1);
    IntakeResult first = results.stream().filter(r -> !r.replayed()).findFirst().orElseThrow();
    assertThat(first.contact().created()).isTrue();
    assertThat(results).filteredOn(IntakeResult::replayed).hasSize(deliveries - 2)
        .allSatisfy(r -> assertThat(r.contact()).isEqualTo(first.contact()));
    for (String table : new String[] {"contacts", "leads", "interactions", "contacts_to_rescore", "intake_receipts"}) {
      assertThat(TestDatabase.count("SELECT count(*) FROM " + table)).as(table).isEqualTo(1);
    }
    assertNoTransactionLeftOpen();
  }
}
