package io.leadcycle.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.Submission;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.Failures;
import io.leadcycle.process.ProcessDefinition;
import io.leadcycle.processes.ProcessService;
import io.leadcycle.store.FormStore;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Intake creates a submission's lead on the form's process: the latest version of it, read in the pipelined
 * transaction (one connection here, so a transaction left open would show), and even once the process was
 * retired behind a form read before (intake keeps forms for 10 s): a submission is never lost for its process.
 */
class IntakeOnProcessesTest {

  private static final String PROCESS = """
      {"name": "Partner deals", "stages": [
        {"name": "Fresh", "role": "inquiry"},
        {"name": "Sales", "role": "sales_acceptance"}]}""";

  private Database database;
  private IntakeService intake;
  private final FormStore forms = new FormStore();

  @BeforeEach
  void setUp() {
    TestDatabase.reset();
    sql("DROP TRIGGER IF EXISTS test_refuse ON leads; DROP FUNCTION IF EXISTS test_refuse()");
    database = Database.connect(TestDatabase.settings(1), 1);
    intake = new IntakeService(database);
  }

  @AfterEach
  void tearDown() {
    sql("DROP TRIGGER IF EXISTS test_refuse ON leads; DROP FUNCTION IF EXISTS test_refuse()");
    database.close();
  }

  private static void sql(String statements) {
    TestDatabase.database().pool().query(statements).execute().await();
  }

  private String liveProcess() {
    ProcessService processes = new ProcessService(database);
    String id = processes.create(ProcessDefinition.parse(new JsonObject(PROCESS).getMap())).await().id();
    processes.publish(id).await();
    return id;
  }

  private Form form(String processId) {
    forms.put(database.pool(), FormDefinition.parse("launch", Map.of("name", "Launch page", "kind", "marketing_page",
        "processId", processId)), "whsec_c2VjcmV0").await();
    return forms.find(database.pool(), "launch").await();
  }

  private IntakeResult submit(Form form, String key, String email) {
    return intake.submit(form, Submission.parse(key, null, Map.of("email", email), null, form), null).await();
  }

  private static Row lead(IntakeResult result) {
    return TestDatabase.database().pool()
        .preparedQuery("SELECT process_id, process_version, stage FROM leads WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(result.lead().id())).await().iterator().next();
  }

  private static void assertNoTransactionLeftOpen() {
    assertThat(TestDatabase.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        + "AND state LIKE 'idle in transaction%'")).isZero();
  }

  @Test
  void everyPathThatCreatesALeadPutsItOnTheFormsProcessAtItsLatestVersion() {
    String process = liveProcess();
    Form form = form(process);

    Row newPerson = lead(submit(form, "s-1", "ada@example.com"));
    assertThat(newPerson.getString("process_id")).isEqualTo(process);
    assertThat(newPerson.getInteger("process_version")).isEqualTo(1);
    assertThat(newPerson.getString("stage")).isEqualTo("Fresh");

    // A known contact whose lead was closed gets a new one: the matched path, also on the form's process.
    sql("UPDATE leads SET status = 'disqualified'");
    new ProcessService(database).replace(process, ProcessDefinition.parse(new JsonObject(PROCESS.replace("Fresh",
        "Brand new")).getMap())).await();
    Row known = lead(submit(form, "s-2", "ada@example.com"));
    assertThat(known.getString("process_id")).isEqualTo(process);
    assertThat(known.getInteger("process_version")).isEqualTo(2);
    assertThat(known.getString("stage")).isEqualTo("Brand new");
    assertNoTransactionLeftOpen();
  }

  @Test
  void aFormReadBeforeItsProcessWasRetiredStillCreatesItsLeadsOnTheLastVersion() {
    String process = liveProcess();
    Form cached = form(process);
    // What a retire after the form moved off would leave behind a form intake still holds.
    sql("UPDATE forms SET process_id = 'default'");
    new ProcessService(database).retire(process).await();

    Row lead = lead(submit(cached, "s-1", "ada@example.com"));

    assertThat(lead.getString("process_id")).isEqualTo(process);
    assertThat(lead.getInteger("process_version")).isEqualTo(1);
    assertThat(lead.getString("stage")).isEqualTo("Fresh");
  }

  @Test
  void aLeadInsertRefusedAfterThePipelinedProcessReadLeavesNothingWrittenAndIsReportedAsItself() {
    Form form = form(liveProcess());
    sql("CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + "RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'P0001'; END $$");
    sql("CREATE TRIGGER test_refuse BEFORE INSERT ON leads FOR EACH ROW EXECUTE FUNCTION test_refuse()");

    Throwable failure = catchThrowable(() -> submit(form, "s-1", "ada@example.com"));

    assertThat(Failures.sqlState(failure)).isEqualTo("P0001");
    for (String table : new String[] {"contacts", "leads", "lead_timeline", "outbox", "interactions", "intake_receipts"}) {
      assertThat(TestDatabase.count("SELECT count(*) FROM " + table)).as(table).isZero();
    }
    assertNoTransactionLeftOpen();
  }
}
