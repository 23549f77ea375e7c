package io.leadcycle.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.Submission;
import io.leadcycle.postgres.Database;
import io.leadcycle.store.FormStore;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntakeServiceTest {

  private final Database database = TestDatabase.database();
  private final FormStore forms = new FormStore();
  private IntakeService intake;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    intake = new IntakeService(database);
  }

  private Form form(String id, Map<String, Object> definition) {
    forms.put(database.pool(), FormDefinition.parse(id, definition), "whsec_c2VjcmV0").await();
    return forms.find(database.pool(), id).await();
  }

  private static Submission submission(Form form, String submissionId, Map<String, Object> fields) {
    return Submission.parse(submissionId, null, fields, null, form);
  }

  @Test
  void sixtyFourConcurrentSubmissionsOfOnePersonMakeOneContactAndOneLead() throws Exception {
    Form form = form("launch", Map.of("name", "Launch page", "kind", "marketing_page"));
    int submissions = 64;
    ExecutorService pool = Executors.newFixedThreadPool(submissions);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<IntakeResult>> answers = new ArrayList<>();
    for (int i = 0; i < submissions; i++) {
      String email = i % 2 == 0 ? "Ada@Example.com" : "  ada@example.COM ";
      Submission s = submission(form, "s-" + i, Map.of("email", email, "firstName", "Ada"));
      answers.add(pool.submit((Callable<IntakeResult>) () -> {
        start.await();
        return intake.submit(form, s, null).await();
      }));
    }
    start.countDown();
    List<JsonObject> bodies = new ArrayList<>();
    for (Future<IntakeResult> answer : answers) {
      bodies.add(answer.get().toJson());
    }
    pool.shutdown();

    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM leads")).isEqualTo(1);
    assertThat(TestDatabase.count("SELECT count(*) FROM interactions")).isEqualTo(submissions);
    assertThat(bodies).filteredOn(b -> b.getJsonObject("contact").getBoolean("created")).hasSize(1);
    assertThat(bodies).filteredOn(b -> b.getJsonObject("lead").getBoolean("created")).hasSize(1);
    assertThat(bodies).extracting(b -> b.getJsonObject("contact").getString("id")).containsOnly(
        bodies.get(0).getJsonObject("contact").getString("id"));
  }

  @Test
  void theReceiptKeepsTheAnswersTextAndAReplayAnswersTheSame() {
    Form form = form("launch", Map.of("name", "Launch page", "kind", "marketing_page"));
    IntakeResult first = intake.submit(form, submission(form, "s-1", Map.of("email", "ada@example.com")), null).await();

    // Encoded once: the receipt stored the text the HTTP answer sends.
    JsonObject stored = database.pool().query("SELECT response FROM intake_receipts").execute().await()
        .iterator().next().getJsonObject("response");
    assertThat(stored).isEqualTo(new JsonObject(first.encodedJson())).isEqualTo(first.toJson());
    IntakeResult replay = intake.submit(form, submission(form, "s-1", Map.of("email", "ada@example.com")), null)
        .await();
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.encodedJson()).isEqualTo(first.toJson().put("replayed", true).encode());
  }
}
