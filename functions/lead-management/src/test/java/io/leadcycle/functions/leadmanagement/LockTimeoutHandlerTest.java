package io.leadcycle.functions.leadmanagement;

import io.leadcycle.postgres.DatabaseSettings;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.DatabaseSettings.Timeouts;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request that waits for a row another transaction holds gives up after {@code lock_timeout}: 503
 * problem details with {@code retry-after}, nothing written, one warning in the log. Here the lock
 * timeout is 300 ms instead of the default 5 s.
 */
class LockTimeoutHandlerTest extends LeadManagementHarness {

  private Database impatientDatabase;
  private LeadManagementHandler impatient;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    impatientDatabase = Database.connect(TestDatabase.settings(2).withTimeouts(new Timeouts(10_000, 300, true)), 1);
    impatient = new LeadManagementHandler(() -> impatientDatabase);
  }

  @AfterEach
  void close() {
    impatientDatabase.close();
  }

  @Test
  void aPatchOfAContactAnotherTransactionHoldsIs503WithRetryAfterAndWritesNothing() {
    JsonObject contact = createContact("{\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}");
    String id = contact.getString("id");
    Row before = row("SELECT first_name, updated_at FROM contacts WHERE id = $1", uuid(id));
    long marks = count("SELECT count(*) FROM contacts_to_rescore");
    APIGatewayV2HTTPEvent patch = request("PATCH /v1/contacts/{contactId}", "/v1/contacts/" + id)
        .pathParameter("contactId", id).json("{\"firstName\": \"Augusta\"}").build();

    String log;
    APIGatewayV2HTTPResponse response;
    SqlConnection holder = TestDatabase.database().pool().getConnection().await();
    try {
      holder.query("BEGIN").execute().await();
      holder.preparedQuery("SELECT id FROM contacts WHERE id = $1 FOR UPDATE").execute(Tuple.of(uuid(id))).await();

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream original = System.out;
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      try {
        response = impatient.handleRequest(patch, null);
      } finally {
        System.setOut(original);
      }
      log = out.toString(StandardCharsets.UTF_8);
      System.out.print(log);
    } finally {
      holder.query("ROLLBACK").execute().await();
      holder.close().await();
    }

    JsonObject problem = assertProblem(response, 503);
    assertThat(problem.getString("type")).isEqualTo("urn:leadcycle:problem:unavailable");
    assertThat(response.getHeaders())
        .containsEntry("retry-after", Integer.toString(HttpResponse.RETRY_AFTER_SECONDS))
        .containsEntry("x-request-id", patch.getRequestContext().getRequestId());

    Row after = row("SELECT first_name, updated_at FROM contacts WHERE id = $1", uuid(id));
    assertThat(after.getString("first_name")).isEqualTo("Ada");
    assertThat(after.getValue("updated_at")).isEqualTo(before.getValue("updated_at"));
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isEqualTo(marks);

    List<JsonObject> warnings = log.lines().filter(line -> line.startsWith("{")).map(JsonObject::new)
        .filter(line -> "WARN".equals(line.getString("level"))).toList();
    assertThat(warnings).singleElement().satisfies(line -> {
      assertThat(line.getString("requestId")).isEqualTo(patch.getRequestContext().getRequestId());
      assertThat(line.getString("failure")).isEqualTo("UNAVAILABLE");
      assertThat(line.getString("timeout")).isEqualTo("lock_timeout");
      assertThat(line.getString("sqlState")).isEqualTo("55P03");
    });
    assertThat(log).doesNotContain("Augusta").doesNotContain(id);

    // Once the other transaction is over, the same patch passes.
    assertThat(ok(patchContact(id, "{\"firstName\": \"Augusta\"}")).getString("firstName")).isEqualTo("Augusta");
  }
}
