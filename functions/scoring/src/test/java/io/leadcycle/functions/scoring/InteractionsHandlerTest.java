package io.leadcycle.functions.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/interactions} through the handler: items alone, idempotent on sourceId, marks, races. */
class InteractionsHandlerTest extends ScoringHarness {

  private static final String AT = "2026-11-27T10:15:00Z";

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void aMixedBatchIsAcceptedItemByItem() {
    UUID ada = createContact("ada@example.com", "Ada");
    UUID bob = createContact("bob@example.com", "Bob");
    UUID carl = createContact("carl@example.com", "Carl");
    JsonArray items = new JsonArray()
        .add(interaction("open-1", "email_opened", ada.toString(), AT)
            .put("context", new JsonObject().put("kind", "campaign").put("id", "q4").put("name", "Q4 push")
                .put("url", "https://example.com/q4")))
        .add(interaction("visit-1", "website_visited", "  BOB@Example.com ", "2026-11-27T11:15:00+01:00"))
        .add(interaction("ghost-1", "email_clicked", UUID.randomUUID().toString(), AT))
        .add(interaction("ghost-2", "email_clicked", "nobody@example.com", AT))
        .add(interaction("bad-1", "phoned", ada.toString(), AT))
        .add(interaction("open-1", "email_opened", ada.toString(), AT))
        .add("not an object")
        .add(interaction("late-1", "event_attended", ada.toString(), Instant.now().plus(2, ChronoUnit.DAYS).toString()));

    JsonObject outcome = record(items);

    assertThat(outcome.getInteger("accepted")).isEqualTo(2);
    assertThat(outcome.getInteger("duplicates")).as("open-1 twice in the batch").isEqualTo(1);
    JsonArray rejected = outcome.getJsonArray("rejected");
    assertThat(rejected.stream().map(r -> ((JsonObject) r).getInteger("index")).toList()).containsExactly(2, 3, 4, 6, 7);
    assertThat(reason(rejected, 2)).startsWith("contactId: no contact with id ");
    assertThat(reason(rejected, 3)).startsWith("email: no contact with the email nobody@example.com");
    assertThat(reason(rejected, 4)).startsWith("type: must be one of: email_opened");
    assertThat(reason(rejected, 6)).startsWith("must be an object");
    assertThat(reason(rejected, 7)).startsWith("occurredAt: more than 1 day in the future");
    assertThat(rejected.getJsonObject(0).getString("sourceId")).isEqualTo("ghost-1");
    assertThat(rejected.getJsonObject(3).getValue("sourceId")).isNull();

    List<Row> stored = rows("""
        SELECT source_key, contact_id, type, occurred_at, context_kind, context_id, context_name, context_url
          FROM interactions ORDER BY source_key""");
    assertThat(stored).hasSize(2);
    assertThat(stored.get(0).getString("source_key")).isEqualTo("api:open-1");
    assertThat(stored.get(0).getUUID("contact_id")).isEqualTo(ada);
    assertThat(stored.get(0).getString("type")).isEqualTo("email_opened");
    assertThat(stored.get(0).getOffsetDateTime("occurred_at").toInstant()).isEqualTo(Instant.parse(AT));
    assertThat(stored.get(0).getString("context_kind")).isEqualTo("campaign");
    assertThat(stored.get(0).getString("context_id")).isEqualTo("q4");
    assertThat(stored.get(0).getString("context_name")).isEqualTo("Q4 push");
    assertThat(stored.get(0).getString("context_url")).isEqualTo("https://example.com/q4");
    assertThat(stored.get(1).getString("source_key")).isEqualTo("api:visit-1");
    assertThat(stored.get(1).getUUID("contact_id")).isEqualTo(bob);
    assertThat(stored.get(1).getOffsetDateTime("occurred_at").toInstant()).isEqualTo(Instant.parse(AT));
    assertThat(stored.get(1).getString("context_kind")).isNull();

    assertThat(markedContacts()).containsExactlyInAnyOrder(ada, bob).doesNotContain(carl);
  }

  @Test
  void anItemWithTextThatCannotBeStoredIsRejectedAloneAndTheRestAccepted() {
    UUID ada = createContact("ada@example.com", "Ada");
    // JSON escapes, as a client sends them: NUL, and the first half of a surrogate pair alone
    String body = """
        {"interactions": [
          {"sourceId": "ok-1", "type": "email_opened", "contactId": "%1$s", "occurredAt": "%2$s"},
          {"sourceId": "nul-1", "type": "email_opened", "contactId": "%1$s", "occurredAt": "%2$s",
           "context": {"kind": "campaign", "name": "Q4\\u0000push"}},
          {"sourceId": "half-\\ud800", "type": "email_opened", "email": "ada@example.com", "occurredAt": "%2$s"},
          {"sourceId": "ok-2", "type": "email_clicked", "email": "ada@example.com", "occurredAt": "%2$s"}
        ]}""".formatted(ada, AT);

    APIGatewayV2HTTPResponse response = postInteractions(body);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
    JsonObject outcome = body(response);
    assertThat(outcome.getInteger("accepted")).isEqualTo(2);
    JsonArray rejected = outcome.getJsonArray("rejected");
    assertThat(rejected.stream().map(r -> ((JsonObject) r).getInteger("index")).toList()).containsExactly(1, 2);
    assertThat(reason(rejected, 1)).isEqualTo("context.name: " + io.leadcycle.domain.Fields.NO_NUL);
    assertThat(reason(rejected, 2)).isEqualTo("sourceId: " + io.leadcycle.domain.Fields.NO_LONE_SURROGATE);
    assertThat(rejected.getJsonObject(0).getString("sourceId")).isEqualTo("nul-1");
    assertThat(rejected.getJsonObject(1).getValue("sourceId")).as("not readable, so not echoed").isNull();
    assertThat(rows("SELECT source_key FROM interactions ORDER BY source_key").stream()
        .map(r -> r.getString("source_key")).toList()).containsExactly("api:ok-1", "api:ok-2");
  }

  @Test
  void textThatCannotBeStoredOutsideTheItemsIsTheWholeRequestsFault() {
    UUID ada = createContact("ada@example.com", "Ada");
    APIGatewayV2HTTPResponse response = postInteractions("""
        {"interactions": [{"sourceId": "ok-1", "type": "email_opened", "contactId": "%s", "occurredAt": "%s"}],
         "note\\u0000": 1}""".formatted(ada, AT));

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(body(response).getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("note\\u0000");
    assertThat(count("SELECT count(*) FROM interactions")).isZero();
  }

  @Test
  void aReplayCountsAsDuplicatesAndWritesNothingNew() {
    UUID ada = createContact("ada@example.com", "Ada");
    JsonArray items = new JsonArray()
        .add(interaction("a", "email_opened", ada.toString(), AT))
        .add(interaction("b", "email_clicked", "ada@example.com", AT));
    JsonObject first = record(items);
    assertThat(first.getInteger("accepted")).isEqualTo(2);
    assertThat(first.getInteger("duplicates")).isZero();
    query("UPDATE contacts_to_rescore SET marked_at = '2020-01-01T00:00:00Z'");

    JsonObject replay = record(items);

    assertThat(replay.getInteger("accepted")).isZero();
    assertThat(replay.getInteger("duplicates")).isEqualTo(2);
    assertThat(replay.getJsonArray("rejected")).isEmpty();
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM contacts_to_rescore WHERE marked_at = '2020-01-01T00:00:00Z'"))
        .as("a replay changes no facts, so it marks nothing again").isEqualTo(1);
  }

  @Test
  void aNewInteractionMarksAnAlreadyMarkedContactAgain() {
    UUID ada = createContact("ada@example.com", "Ada");
    record(new JsonArray().add(interaction("a", "email_opened", ada.toString(), AT)));
    query("UPDATE contacts_to_rescore SET marked_at = '2020-01-01T00:00:00Z'");

    record(new JsonArray().add(interaction("b", "email_opened", ada.toString(), AT)));

    assertThat(count("SELECT count(*) FROM contacts_to_rescore WHERE marked_at > '2020-01-01T00:00:00Z'")).isEqualTo(1);
  }

  @Test
  void anEmailNamesTheOldestContactWithIt() {
    UUID newer = createContact("ada@example.com", "Ada");
    UUID older = UUID.randomUUID();
    query("INSERT INTO contacts (id, email, email_norm, created_at) VALUES ($1, 'Ada@example.com', 'ada@example.com', "
        + "'2020-01-01T00:00:00Z')", older);

    assertThat(record(new JsonArray().add(interaction("a", "email_opened", "ADA@example.com", AT)))
        .getInteger("accepted")).isEqualTo(1);

    assertThat(rows("SELECT contact_id FROM interactions").get(0).getUUID("contact_id")).isEqualTo(older)
        .isNotEqualTo(newer);
  }

  @Test
  void aBatchOfAThousandIsTakenInOneRequest() {
    UUID ada = createContact("ada@example.com", "Ada");
    JsonArray items = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      items.add(interaction("visit-" + i, "website_visited", i % 2 == 0 ? ada.toString() : "ada@example.com", AT));
    }
    JsonObject outcome = record(items);
    assertThat(outcome.getInteger("accepted")).isEqualTo(1000);
    assertThat(count("SELECT count(*) FROM interactions WHERE contact_id = '" + ada + "'")).isEqualTo(1000);
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isEqualTo(1);
  }

  @Test
  void theBatchAsAWholeMustBeAListOf1To1000() {
    UUID ada = createContact("ada@example.com", "Ada");
    JsonObject item = interaction("a", "email_opened", ada.toString(), AT);
    assertThat(invalidFields(postInteractions(new JsonObject()
        .put("interactions", new JsonArray(Collections.nCopies(1001, item))).encode()))).containsExactly("interactions");
    assertThat(invalidFields(postInteractions("{\"interactions\": []}"))).containsExactly("interactions");
    assertThat(invalidFields(postInteractions("{\"interactions\": {}}"))).containsExactly("interactions");
    assertThat(invalidFields(postInteractions("{}"))).containsExactly("interactions");
    assertThat(invalidFields(postInteractions("{\"interactions\": [" + item.encode() + "], \"dryRun\": true}")))
        .containsExactly("dryRun");
    assertProblem(postInteractions("[" + item.encode() + "]"), 400);
    assertProblem(call(request("POST /v1/interactions", "/v1/interactions").header("content-type", "text/plain")
        .body(item.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8), false).build()), 415);
    assertThat(count("SELECT count(*) FROM interactions")).isZero();
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isZero();
  }

  @Test
  void twoIdenticalBatchesAtOnceStoreEachSourceIdOnce() throws Exception {
    UUID ada = createContact("ada@example.com", "Ada");
    UUID bob = createContact("bob@example.com", "Bob");
    JsonArray items = new JsonArray();
    for (int i = 0; i < 300; i++) {
      items.add(interaction("race-" + i, "email_opened", i % 2 == 0 ? ada.toString() : "bob@example.com", AT));
    }
    JsonArray reversed = new JsonArray(new ArrayList<>(items.getList()));
    Collections.reverse(reversed.getList());

    for (JsonArray second : List.of(items, reversed)) {
      TestDatabase.reset();
      ada = createContact("ada@example.com", "Ada");
      bob = createContact("bob@example.com", "Bob");
      JsonArray first = rebind(items, ada);
      JsonArray other = rebind(second, ada);
      List<JsonObject> outcomes = race(first, other);

      assertThat(outcomes.stream().mapToInt(o -> o.getInteger("accepted")).sum()).isEqualTo(300);
      assertThat(outcomes.stream().mapToInt(o -> o.getInteger("duplicates")).sum()).isEqualTo(300);
      assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(300);
      assertThat(count("SELECT count(DISTINCT source_key) FROM interactions")).isEqualTo(300);
      assertThat(markedContacts()).containsExactlyInAnyOrder(ada, bob);
    }
  }

  /** The items with the contact ids pointing at {@code ada} (the contacts were made again). */
  private static JsonArray rebind(JsonArray items, UUID ada) {
    JsonArray copy = new JsonArray();
    items.forEach(item -> {
      JsonObject o = ((JsonObject) item).copy();
      if (o.containsKey("contactId")) {
        o.put("contactId", ada.toString());
      }
      copy.add(o);
    });
    return copy;
  }

  private List<JsonObject> race(JsonArray... batches) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(batches.length);
    try {
      List<APIGatewayV2HTTPEvent> events = new ArrayList<>();
      for (JsonArray batch : batches) {
        events.add(request("POST /v1/interactions", "/v1/interactions")
            .json(new JsonObject().put("interactions", batch).encode()).build());
      }
      List<CompletableFuture<APIGatewayV2HTTPResponse>> calls = new ArrayList<>();
      events.forEach(event -> calls.add(CompletableFuture.supplyAsync(() -> call(event), pool)));
      List<JsonObject> outcomes = new ArrayList<>();
      for (CompletableFuture<APIGatewayV2HTTPResponse> call : calls) {
        APIGatewayV2HTTPResponse response = call.get();
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        outcomes.add(body(response));
      }
      return outcomes;
    } finally {
      pool.shutdown();
    }
  }

  private static String reason(JsonArray rejected, int index) {
    return rejected.stream().map(r -> (JsonObject) r).filter(r -> r.getInteger("index") == index).findFirst()
        .orElseThrow().getString("reason");
  }

  private static List<UUID> markedContacts() {
    return rows("SELECT contact_id FROM contacts_to_rescore").stream().map(r -> r.getUUID("contact_id")).toList();
  }
}
