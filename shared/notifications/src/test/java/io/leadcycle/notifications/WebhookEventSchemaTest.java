package io.leadcycle.notifications;

import static io.leadcycle.testing.ScoringFixtures.contact;
import static io.leadcycle.testing.ScoringFixtures.interaction;
import static io.leadcycle.testing.ScoringFixtures.live;
import static io.leadcycle.testing.ScoringFixtures.mark;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.leadcycle.domain.Activity;
import io.leadcycle.domain.EventTypes;
import io.leadcycle.domain.ErasureRequest;
import io.leadcycle.privacy.PrivacyKey;
import io.leadcycle.privacy.ErasureService;
import io.leadcycle.leads.FollowUps;
import io.leadcycle.domain.Lead;
import io.leadcycle.domain.MarketingContext;
import io.leadcycle.domain.NewLeadInput;
import io.leadcycle.leads.LeadService;
import io.leadcycle.notifications.Receiver.Reply;
import io.leadcycle.process.ProcessAction;
import io.leadcycle.process.ProcessRequest;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.scoring.ScoringModel;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivered webhook body is what docs/schemas/webhook-event.schema.json says, for every event type:
 * events written by the real lead process and score recalculation, delivered by the real
 * {@link Dispatcher} to a subscriber on loopback, each body held to the schema by an independent
 * validator (networknt) and its {@code changes}, {@code actor}, {@code reason} and {@code model} checked.
 */
class WebhookEventSchemaTest {

  /** CTO: 20; each website visit within 30 days: 10, at most 40. Grades C < 20 ≤ B < 50 ≤ A. */
  private static final String FIT = """
      {"name": "Fit", "target": "contact", "salesReadyThreshold": %d,
       "grades": [{"name": "C", "min": -1000, "max": 19}, {"name": "B", "min": 20, "max": 49},
                  {"name": "A", "min": 50, "max": 1000}],
       "rules": [{"id": "cto", "kind": "demographic", "field": "jobTitle", "op": "eq", "value": "CTO", "points": 20},
                 {"id": "visits", "kind": "behavioral", "interaction": "website_visited", "frequency": "each",
                  "withinDays": 30, "points": 10, "maxPoints": 40}]}""";

  private static Vertx receivers;
  private static Schema schema;
  private static JsonObject schemaJson;
  private Receiver receiver;
  private Dispatcher dispatcher;
  private final LeadService leads = new LeadService(TestDatabase.database());
  private final RecalculationService scoring = new RecalculationService(TestDatabase.database(), Clock.systemUTC());

  @BeforeAll
  static void start() throws IOException {
    receivers = Vertx.vertx();
    String text = Files.readString(schemaFile());
    schemaJson = new JsonObject(text);
    schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
  }

  @AfterAll
  static void stop() {
    receivers.close().await();
  }

  @BeforeEach
  void subscribe() {
    TestDatabase.reset();
    receiver = Receiver.start(receivers, (path, n) -> Reply.of(204));
    TestDatabase.database().pool().preparedQuery("INSERT INTO subscribers (url, events, secret) VALUES ($1, $2, $3)")
        .execute(Tuple.of(receiver.url("/crm"), new String[] {"*"}, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        .await();
    dispatcher = new Dispatcher(TestDatabase.database(), Clock.systemUTC(), TargetPolicy.localServer());
  }

  @AfterEach
  void close() {
    dispatcher.close();
    receiver.close();
  }

  /** docs/schemas/webhook-event.schema.json, found from the module's directory upwards (modules move). */
  private static Path schemaFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs/schemas/webhook-event.schema.json");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("docs/schemas/webhook-event.schema.json not found above " + Path.of("").toAbsolutePath());
  }

  /** Runs the dispatcher; every body received so far, each checked against the schema. */
  private List<JsonObject> delivered() {
    dispatcher.run(Duration.ofSeconds(10));
    List<JsonObject> bodies = receiver.requests().stream().map(r -> new JsonObject(r.body())).toList();
    bodies.forEach(WebhookEventSchemaTest::assertMatchesTheSchema);
    return bodies;
  }

  /** The one delivered body of {@code type}. */
  private JsonObject deliveredOf(String type) {
    List<JsonObject> ofType = delivered().stream().filter(b -> b.getString("type").equals(type)).toList();
    assertThat(ofType).as("webhooks of type " + type).hasSize(1);
    return ofType.get(0).getJsonObject("data");
  }

  private static void assertMatchesTheSchema(JsonObject body) {
    List<Error> errors = schema.validate(body.encode(), InputFormat.JSON,
        context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
    assertThat(errors).as(body.encodePrettily()).isEmpty();
    // The schema lets receivers ignore members added later; the docs must still name every member sent.
    JsonObject defs = schemaJson.getJsonObject("$defs");
    assertOnlyDocumented(body, schemaJson, "body");
    if (body.getString("type").equals(EventTypes.CONTACT_ERASED)) {
      assertOnlyDocumented(body.getJsonObject("data"), defs.getJsonObject("erasedData"), "data");
      return;
    }
    if (body.getString("type").startsWith("contact.")) {
      assertOnlyDocumented(body.getJsonObject("data"), defs.getJsonObject("contactData"), "data");
      assertOnlyDocumented(body.getJsonObject("data").getJsonObject("contact"), defs.getJsonObject("contact"),
          "data.contact");
      return;
    }
    assertOnlyDocumented(body.getJsonObject("data"), defs.getJsonObject("data"), "data");
    assertOnlyDocumented(body.getJsonObject("data").getJsonObject("lead"), defs.getJsonObject("lead"), "data.lead");
  }

  private static void assertOnlyDocumented(JsonObject json, JsonObject schemaOfIt, String where) {
    Set<String> documented = new HashSet<>(schemaOfIt.getJsonObject("properties").fieldNames());
    assertThat(json.fieldNames()).as("members of " + where + " the schema documents").isSubsetOf(documented);
  }

  private static JsonObject change(String field, Object from, Object to) {
    return new JsonObject().put("field", field).put("from", from).put("to", to);
  }

  private UUID newLead(UUID contactId) {
    return leads.create(new NewLeadInput("Spring launch", contactId, null,
        new MarketingContext("marketing_page", "spring", "Spring launch")), "maria@marketing").await().lead().id();
  }

  private void act(UUID leadId, ProcessRequest request, String actor) {
    leads.act(leadId, request, actor).await();
  }

  private static ProcessRequest request(ProcessAction action, String ownerId, String stage, String reason) {
    return new ProcessRequest(action, ownerId, stage, reason);
  }

  /** Forgets what was delivered so far, so that a test looks at its own event only. */
  private void deliveredSoFar() {
    delivered();
    receiver.requests().clear();
  }

  @Test
  void leadCreatedSaysWhoCreatedItAndTheFirstStage() {
    UUID leadId = newLead(contact("ada@example.com", "CTO", null));

    JsonObject data = deliveredOf(EventTypes.CREATED);

    assertThat(data.getJsonObject("lead").getString("id")).isEqualTo(leadId.toString());
    assertThat(data.getInteger("schemaVersion")).isEqualTo(2);
    assertThat(data.getJsonArray("changes")).containsExactly(change("stage", null, "inquiry"));
    assertThat(data.getString("actor")).isEqualTo("maria@marketing");
    assertThat(data.getString("reason")).isEqualTo("created");
    assertThat(data.getValue("model")).isNull();
  }

  @Test
  void stageChangedSaysFromWhichStageToWhichWhoMovedItAndWhy() {
    UUID leadId = newLead(contact("ada@example.com", "CTO", null));
    deliveredSoFar();

    act(leadId, request(ProcessAction.MOVE, null, "telemarketing_acceptance", "called in for a demo"), "tom@telemarketing");
    JsonObject data = deliveredOf(EventTypes.STAGE_CHANGED);

    assertThat(data.getJsonArray("changes")).contains(change("stage", "inquiry", "telemarketing_acceptance"));
    assertThat(data.getString("actor")).isEqualTo("tom@telemarketing");
    assertThat(data.getString("reason")).isEqualTo("called in for a demo");
    assertThat(data.getJsonObject("lead").getString("stage")).isEqualTo("telemarketing_acceptance");
  }

  @Test
  void telemarketingReadySaysTheFlagTurnedTrueAsABoolean() {
    UUID leadId = newLead(contact("ada@example.com", "CTO", null));
    deliveredSoFar();

    act(leadId, ProcessRequest.of(ProcessAction.MARK_TELEMARKETING_READY), "maria@marketing");
    JsonObject data = deliveredOf(EventTypes.TELEMARKETING_READY);

    assertThat(data.getJsonArray("changes")).contains(change("telemarketingReady", false, true),
        change("stage", "inquiry", "telemarketing_acceptance"));
    assertThat(data.getString("actor")).isEqualTo("maria@marketing");
    assertThat(data.getString("reason")).isEqualTo("mark-telemarketing-ready");
    assertThat(data.getValue("model")).isNull();
  }

  @Test
  void salesReadyByAScoreNamesTheModelTheScoreAndTheThreshold() {
    UUID ada = contact("ada@example.com", "CTO", null);
    UUID leadId = newLead(ada);
    ScoringModel model = live(FIT.formatted(50));
    for (int i = 0; i < 3; i++) {
      interaction(ada, "website_visited", Instant.now().minus(Duration.ofDays(i + 1)), null);
    }
    mark(ada);
    scoring.run(Duration.ofSeconds(30));

    List<JsonObject> bodies = delivered();
    JsonObject data = bodies.stream().filter(b -> b.getString("type").equals(EventTypes.SALES_READY)).findFirst()
        .orElseThrow().getJsonObject("data");

    assertThat(data.getJsonArray("changes")).contains(change("salesReady", false, true),
        change("stage", "automated_marketing_qualification", "sales_acceptance"));
    assertThat(data.getString("actor")).isEqualTo("scoring");
    assertThat(data.getString("reason")).isEqualTo("score 50 in model Fit reached its sales-ready threshold 50");
    assertThat(data.getJsonObject("model")).isEqualTo(new JsonObject().put("id", model.id().toString())
        .put("name", "Fit").put("score", 50).put("grade", "A").put("salesReadyThreshold", 50));
    assertThat(data.getJsonObject("lead").getString("id")).isEqualTo(leadId.toString());
    assertThat(data.getJsonObject("lead").getJsonArray("scores").getJsonObject(0).getInteger("score")).isEqualTo(50);
    // The first score moved it out of inquiry first: that stage change has no single model to name.
    JsonObject firstScored = bodies.stream().map(b -> b.getJsonObject("data"))
        .filter(d -> "first scored".equals(d.getString("reason"))).findFirst().orElseThrow();
    assertThat(firstScored.getJsonArray("changes"))
        .containsExactly(change("stage", "inquiry", "automated_marketing_qualification"));
    assertThat(firstScored.getValue("model")).isNull();
  }

  @Test
  void scoreChangedNamesTheModelAndTheGradeAndScoreBeforeAndAfter() {
    ScoringModel model = live(FIT.formatted(500));
    UUID ada = contact("ada@example.com", "CTO", null);
    newLead(ada);
    scoring.run(Duration.ofSeconds(30)); // 20: B (the model's full rescoring is not announced)
    for (int i = 0; i < 3; i++) {
      interaction(ada, "website_visited", Instant.now().minus(Duration.ofDays(i + 1)), null);
    }
    mark(ada);
    scoring.run(Duration.ofSeconds(30)); // 50: A
    JsonObject data = deliveredOf(EventTypes.SCORE_CHANGED);

    assertThat(data.getJsonArray("changes")).containsExactly(change("grade", "B", "A"), change("score", 20, 50));
    assertThat(data.getJsonObject("model")).isEqualTo(new JsonObject().put("id", model.id().toString())
        .put("name", "Fit").put("score", 50).put("grade", "A").put("salesReadyThreshold", 500));
    assertThat(data.getString("actor")).isEqualTo("scoring");
    assertThat(data.getString("reason")).isEqualTo("model Fit (" + model.id() + "): score 20 → 50");
  }

  @Test
  void convertedSaysTheStatusChangeAndWhoConverted() {
    UUID leadId = newLead(contact("ada@example.com", "CTO", null));
    act(leadId, ProcessRequest.of(ProcessAction.MARK_SALES_READY), "maria@marketing");
    act(leadId, request(ProcessAction.ACCEPT_SALES, "sam@sales", null, null), "sue@sales");
    deliveredSoFar();

    act(leadId, ProcessRequest.of(ProcessAction.CONVERT), "sam@sales");
    JsonObject data = deliveredOf(EventTypes.CONVERTED);

    assertThat(data.getJsonArray("changes")).containsExactly(change("status", "open", "converted"));
    assertThat(data.getString("actor")).isEqualTo("sam@sales");
    assertThat(data.getString("reason")).isEqualTo("convert");
    assertThat(data.getJsonObject("lead").getString("opportunityId")).isNotNull();
  }

  @Test
  void disqualifiedSaysWhyAndWho() {
    UUID leadId = newLead(contact("ada@example.com", "CTO", null));
    deliveredSoFar();

    act(leadId, request(ProcessAction.DISQUALIFY, null, null, "a competitor's address"), "tom@telemarketing");
    JsonObject data = deliveredOf(EventTypes.DISQUALIFIED);

    assertThat(data.getJsonArray("changes")).containsExactly(change("status", "open", "disqualified"));
    assertThat(data.getString("actor")).isEqualTo("tom@telemarketing");
    assertThat(data.getString("reason")).isEqualTo("a competitor's address");
    assertThat(data.getJsonObject("lead").getString("disqualificationReason")).isEqualTo("a competitor's address");
  }

  @Test
  void assignedNamesTheOwnerBeforeAndAfterWhoAssignedAndWhy() {
    UUID leadId = newLead(contact("ada@example.com", "CTO", null));
    UUID sam = TestDatabase.database().read(conn -> conn
            .preparedQuery("INSERT INTO users (name, roles) VALUES ($1, ARRAY['sales']) RETURNING id")
            .execute(Tuple.of("Sam Sales")))
        .await().iterator().next().getUUID("id");
    deliveredSoFar();

    leads.assign(leadId, request(ProcessAction.ASSIGN, sam.toString(), null, null), "Sue Manager",
        new Lead.Owner(sam, "Sam Sales")).await();
    JsonObject assigned = deliveredOf(EventTypes.ASSIGNED);

    assertThat(assigned.getJsonArray("changes")).containsExactly(change("owner", null, "Sam Sales"));
    assertThat(assigned.getString("actor")).isEqualTo("Sue Manager");
    assertThat(assigned.getJsonObject("lead").getJsonObject("owner"))
        .isEqualTo(new JsonObject().put("id", sam.toString()).put("name", "Sam Sales"));
    receiver.requests().clear();

    act(leadId, request(ProcessAction.UNASSIGN, null, null, "Sam is on leave"), "Sue Manager");
    JsonObject unassigned = deliveredOf(EventTypes.ASSIGNED);

    assertThat(unassigned.getJsonArray("changes")).containsExactly(change("owner", "Sam Sales", null));
    assertThat(unassigned.getString("reason")).isEqualTo("Sam is on leave");
    assertThat(unassigned.getJsonObject("lead").getValue("owner")).isNull();
  }

  @Test
  void everyTypeTheOutboxWritesIsCoveredHere() {
    // A new type in EventTypes needs its own test above (and a line in docs/events.md).
    assertThat(EventTypes.TYPES).containsExactlyInAnyOrder(EventTypes.CREATED, EventTypes.STAGE_CHANGED,
        EventTypes.TELEMARKETING_READY, EventTypes.SALES_READY, EventTypes.CONVERTED, EventTypes.DISQUALIFIED,
        EventTypes.SCORE_CHANGED, EventTypes.ASSIGNED, EventTypes.FOLLOW_UP_DUE, EventTypes.SEGMENT_JOINED,
        EventTypes.SEGMENT_LEFT, EventTypes.CONTACT_ERASED);
  }

  @Test
  void segmentJoinedAndLeftNameTheSegmentAndTheContact() {
    UUID ada = contact("ada@example.com", "CTO", null);
    io.leadcycle.segmentation.SegmentService segments =
        new io.leadcycle.segmentation.SegmentService(TestDatabase.database(), Clock.systemUTC());
    io.leadcycle.segments.Segment segment = segments.create(io.leadcycle.segments.SegmentParser.segment(
        new JsonObject("{\"name\": \"CTOs\", \"kind\": \"static\"}").getMap())).await();
    segments.addMembers(segment.id(), List.of(ada)).await();
    JsonObject joined = deliveredOf(EventTypes.SEGMENT_JOINED);
    assertThat(joined.getInteger("schemaVersion")).isEqualTo(1);
    assertThat(joined.getJsonObject("segment"))
        .isEqualTo(new JsonObject().put("id", segment.id().toString()).put("name", "CTOs"));
    assertThat(joined.getJsonObject("contact").getString("id")).isEqualTo(ada.toString());
    assertThat(joined.getJsonObject("contact").getString("email")).isEqualTo("ada@example.com");
    receiver.requests().clear();
    segments.removeMember(segment.id(), ada).await();
    JsonObject left = deliveredOf(EventTypes.SEGMENT_LEFT);
    assertThat(left.getJsonObject("contact").getString("id")).isEqualTo(ada.toString());
    assertThat(left.getString("at")).isNotNull();
  }

  @Test
  void contactErasedCarriesOnlyTheContactId() {
    UUID contactId = contact("ada@example.com", "CTO", null);
    newLead(contactId);
    deliveredSoFar();

    new ErasureService(TestDatabase.database(), PrivacyKey.ofBase64("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="))
        .erase(new ErasureRequest(contactId, null, "request by email, ticket 4711"), "dpo@example.com").await();
    JsonObject erased = deliveredOf(EventTypes.CONTACT_ERASED);

    // Only the id: the lead's own events went with the lead, and nothing else names the person.
    assertThat(erased).isEqualTo(new JsonObject().put("contactId", contactId.toString()));
    assertThat(delivered()).extracting(b -> b.getString("type")).containsExactly(EventTypes.CONTACT_ERASED);
  }

  @Test
  void followUpDueCarriesTheFollowUpItsUserAndTheActivityThatSetIt() {
    UUID leadId = newLead(contact("ada@example.com", "CTO", null));
    UUID tom = TestDatabase.database().read(conn -> conn
            .preparedQuery("INSERT INTO users (name, roles) VALUES ($1, ARRAY['telemarketing']) RETURNING id")
            .execute(Tuple.of("Tom Caller")))
        .await().iterator().next().getUUID("id");
    Instant at = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Activity.Logged call = leads.logActivity(leadId, new Activity(Activity.Kind.CALL, Activity.Outcome.CALL_BACK,
        "call back after the demo", at), tom, "Tom Caller").await().activity();
    deliveredSoFar();

    assertThat(new FollowUps(TestDatabase.database()).announceDue().await()).isEqualTo(1);
    JsonObject due = deliveredOf(EventTypes.FOLLOW_UP_DUE);

    assertThat(due.getJsonArray("changes")).isEmpty();
    assertThat(due.getString("actor")).isEqualTo("Tom Caller");
    assertThat(due.getString("reason")).isEqualTo("follow-up due");
    assertThat(due.getJsonObject("lead").getString("followUpAt")).isEqualTo(at.toString());
    assertThat(due.getJsonObject("lead").getJsonObject("lastActivity").getString("outcome")).isEqualTo("call_back");
    JsonObject followUp = due.getJsonObject("followUp");
    assertThat(followUp.getString("at")).isEqualTo(at.toString());
    assertThat(followUp.getJsonObject("user").getString("id")).isEqualTo(tom.toString());
    assertThat(followUp.getJsonObject("activity").getString("id")).isEqualTo(call.id().toString());
    assertThat(followUp.getJsonObject("activity").getString("note")).isEqualTo("call back after the demo");
  }

  @Test
  void eventsWrittenBeforeTheyCarriedWhatHappenedStillGoOutInTheCurrentShape() {
    UUID leadId = newLead(contact("ada@example.com", "CTO", null));
    deliveredSoFar();
    TestDatabase.database().pool().preparedQuery("""
            INSERT INTO outbox (type, lead_id, payload) VALUES
              ('lead.sales_ready', $1, '{}'::jsonb),
              ('lead.telemarketing_ready', $1, $2)""")
        .execute(Tuple.of(leadId, new JsonObject().put("schemaVersion", 1).put("lead", new JsonObject())
            .put("changes", new JsonArray().add(change("telemarketingReady", "false", "true"))
                .add(change("stage", "inquiry", "telemarketing_acceptance")))
            .put("actor", "api").put("reason", "mark-telemarketing-ready")))
        .await();

    JsonObject withoutPayload = deliveredOf(EventTypes.SALES_READY);
    JsonObject versionOne = deliveredOf(EventTypes.TELEMARKETING_READY);

    assertThat(withoutPayload.getInteger("schemaVersion")).isEqualTo(2);
    assertThat(withoutPayload.getJsonArray("changes")).isEmpty();
    assertThat(withoutPayload.getValue("actor")).isNull();
    assertThat(withoutPayload.getValue("reason")).isNull();
    assertThat(withoutPayload.getJsonObject("lead").getString("id")).isEqualTo(leadId.toString());
    assertThat(versionOne.getInteger("schemaVersion")).isEqualTo(2);
    assertThat(versionOne.getJsonArray("changes")).containsExactly(change("telemarketingReady", false, true),
        change("stage", "inquiry", "telemarketing_acceptance"));
    assertThat(versionOne.getString("actor")).isEqualTo("api");
    assertThat(versionOne.containsKey("model")).isTrue();
  }
}
