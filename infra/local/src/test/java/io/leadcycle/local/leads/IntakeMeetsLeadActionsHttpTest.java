package io.leadcycle.local.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Intake and the lead process touch the same rows: intake locks the contact, then its lead; converting
 * locks the lead, then writes an opportunity that points at the contact. Both at once must finish,
 * with neither a deadlock nor a lost write.
 */
class IntakeMeetsLeadActionsHttpTest extends LeadApiTestBase {

  @Test
  void submissionsOfAContactRacingTheConversionOfItsLeadAllSucceed() throws Exception {
    assertThat(call("PUT", "/v1/forms/launch", new JsonObject()
        .put("name", "Launch").put("kind", "marketing_page").put("requireSignature", false)).status()).isEqualTo(201);
    created(call("POST", "/v1/forms/launch/submissions", new JsonObject()
        .put("fields", new JsonObject().put("email", "ada@example.com"))));
    // An unsigned submission's answer names no records: management looks the lead up.
    String leadId = ok(get("/v1/contacts?email=ada%40example.com")).getJsonArray("items").getJsonObject(0)
        .getJsonArray("leadIds").getString(0);
    act(leadId, "mark-sales-ready");
    acceptSales(leadId, "sam");

    int submissions = 12;
    ExecutorService threads = Executors.newFixedThreadPool(submissions + 1);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < submissions; i++) {
      String firstName = "Ada" + i;
      replies.add(threads.submit((Callable<Reply>) () -> {
        start.await();
        return call("POST", "/v1/forms/launch/submissions", new JsonObject()
            .put("fields", new JsonObject().put("email", "ada@example.com").put("firstName", firstName)));
      }));
    }
    Future<Reply> conversion = threads.submit(() -> {
      start.await();
      return process(leadId, "convert");
    });
    start.countDown();

    for (Future<Reply> reply : replies) {
      assertThat(reply.get().status()).as(reply.get().body().encode()).isIn(200, 201);
    }
    assertThat(conversion.get().status()).as(conversion.get().body().encode()).isEqualTo(200);
    threads.shutdown();
    assertThat(count("SELECT count(*) FROM opportunities")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(submissions + 1);
  }

  @Test
  void aMisspelledProcessArgumentIsA400() {
    String leadId = createLead("Pricing").getString("id");

    Reply reply = process(leadId, new JsonObject().put("action", "disqualify").put("reasn", "spam"));

    assertInvalid(reply, "reasn");
    assertThat(lead(leadId).getString("status")).isEqualTo("open");
  }
}
