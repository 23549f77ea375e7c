package io.leadcycle.local.leads;

import io.leadcycle.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.ContractHttp;
import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the lead-management HTTP tests: one {@link LocalServer} per test class, in-process on a
 * free port, against the JVM's embedded PostgreSQL ({@link TestDatabase}), emptied before every test.
 * Every request goes over real HTTP with the bearer token, as a client would send it.
 */
abstract class LeadApiTestBase {

  static final String TOKEN = "leads-test-token";
  static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();
  static LocalServer server;

  @BeforeAll
  static void startServer() {
    server = LocalServer.start(Map.of(
        "DATABASE_URL", TestDatabase.url()), 0, TOKEN);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @BeforeEach
  void resetDatabase() {
    TestDatabase.reset();
  }

  /** A response: status, content type and the JSON body (null when there is none). */
  record Reply(int status, String contentType, JsonObject body) {

    String detail() {
      return body == null ? null : body.getString("detail");
    }

    /** The field names of a problem's {@code errors}. */
    List<String> errorFields() {
      List<String> fields = new ArrayList<>();
      JsonArray errors = body == null ? null : body.getJsonArray("errors");
      if (errors != null) {
        errors.forEach(e -> fields.add(((JsonObject) e).getString("field")));
      }
      return fields;
    }
  }

  /** The tokens of the people the tests act as, by name (users persist: the database reset keeps them). */
  private static final Map<String, String> PEOPLE = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The token of an admin named {@code name}, made once with {@code POST /v1/users}: timelines name the
   * signed-in user, so a test that acts "as tom" signs in as Tom.
   */
  static String tokenOf(String name) {
    return PEOPLE.computeIfAbsent(name, person -> {
      Reply made = call(TOKEN, "POST", "/v1/users", new JsonObject().put("name", person)
          .put("roles", new JsonArray().add("admin")));
      assertThat(made.status()).as("made user %s: %s", person, made.body()).isEqualTo(201);
      return made.body().getString("token");
    });
  }

  /**
   * A request with the first start's admin token; one whose body names an {@code actor} (a plain name) is
   * sent by that person instead, as the timeline names who signed in (the body's actor is then ignored).
   */
  static Reply call(String method, String path, JsonObject body) {
    String token = TOKEN;
    if (body != null && body.getValue("actor") instanceof String actor && actor.strip().matches("[\\p{L}\\p{N} ._-]+")) {
      token = tokenOf(actor.strip());
    }
    return call(token, method, path, body);
  }

  static Reply call(String token, String method, String path, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token);
    if (body != null) {
      request.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(body.encode()));
    } else {
      request.method(method, BodyPublishers.noBody());
    }
    try {
      var response = ContractHttp.send(HTTP, request.build(), body == null ? null : body.encode());
      String text = response.body();
      return new Reply(response.statusCode(), response.headers().firstValue("content-type").orElse(null),
          text == null || text.isBlank() ? null : new JsonObject(text));
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  static Reply get(String path) {
    return call("GET", path, null);
  }

  static Reply post(String path, JsonObject body) {
    return call("POST", path, body);
  }

  static Reply patch(String path, JsonObject body) {
    return call("PATCH", path, body);
  }

  /** Asserts a 400 problem whose errors name {@code field}. */
  static void assertInvalid(Reply reply, String field) {
    assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(400);
    assertThat(reply.contentType()).isEqualTo("application/problem+json");
    assertThat(reply.body().getInteger("status")).isEqualTo(400);
    assertThat(reply.errorFields()).as("error fields of %s", reply.body()).contains(field);
  }

  static void assertProblem(Reply reply, int status) {
    assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).isEqualTo("application/problem+json");
    assertThat(reply.body().getInteger("status")).isEqualTo(status);
    assertThat(reply.detail()).isNotBlank();
  }

  static JsonObject created(Reply reply) {
    assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(201);
    return reply.body();
  }

  static JsonObject ok(Reply reply) {
    assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(200);
    return reply.body();
  }

  // ---- the resources -------------------------------------------------------------------------------

  static JsonObject createAccount(String name) {
    return created(post("/v1/accounts", new JsonObject().put("name", name)));
  }

  static JsonObject createContact(JsonObject body) {
    return created(post("/v1/contacts", body));
  }

  static JsonObject createContact(String email) {
    return createContact(new JsonObject().put("email", email));
  }

  static JsonObject manualContext() {
    return new JsonObject().put("kind", "manual").put("id", "call-list-7").put("name", "Call list 7");
  }

  /** A lead linked to a fresh contact (so it is scorable), in stage inquiry. */
  static JsonObject createLead(String topic) {
    String contactId = createContact(new JsonObject().put("firstName", topic)).getString("id");
    return created(post("/v1/leads", new JsonObject().put("topic", topic).put("contactId", contactId)
        .put("context", manualContext())));
  }

  static JsonObject lead(String id) {
    return ok(get("/v1/leads/" + id));
  }

  static Reply process(String leadId, JsonObject body) {
    return post("/v1/leads/" + leadId + "/process", body);
  }

  static Reply process(String leadId, String action) {
    return process(leadId, new JsonObject().put("action", action));
  }

  static JsonObject act(String leadId, String action) {
    return ok(process(leadId, action));
  }

  static JsonObject acceptSales(String leadId, String ownerId) {
    return ok(process(leadId, new JsonObject().put("action", "accept-sales").put("ownerId", ownerId)));
  }

  // ---- the database, read directly ---------------------------------------------------------------------

  static long count(String sql) {
    return TestDatabase.count(sql);
  }

  static long timelineRows() {
    return count("SELECT count(*) FROM lead_timeline");
  }

  /** The outbox rows process actions wrote: every lead's own {@code lead.created} aside. */
  static long outboxRows() {
    return count("SELECT count(*) FROM outbox WHERE type <> 'lead.created'");
  }

  static List<Row> rows(String sql, Object... params) {
    List<Row> rows = new ArrayList<>();
    TestDatabase.database().pool().preparedQuery(sql).execute(Tuple.wrap(params)).await().forEach(rows::add);
    return rows;
  }

  static UUID uuid(String id) {
    return UUID.fromString(id);
  }

  /**
   * The timeline entries from index {@code from} on, as "field:from->to|actor|reason" lines. Each value's
   * JSON type is checked on the way: flags are booleans, every other value text (or null).
   */
  static List<String> timelineFrom(JsonObject lead, int from) {
    JsonArray timeline = lead.getJsonArray("timeline");
    List<String> lines = new ArrayList<>();
    for (int i = from; i < timeline.size(); i++) {
      JsonObject e = timeline.getJsonObject(i);
      assertThat(e.getString("at")).isNotBlank();
      Class<?> kind = FLAGS.contains(e.getString("field")) ? Boolean.class : String.class;
      for (String end : List.of("from", "to")) {
        if (e.getValue(end) != null) {
          assertThat(e.getValue(end)).as("%s of %s", end, e).isInstanceOf(kind);
        }
      }
      lines.add(e.getString("field") + ":" + e.getValue("from") + "->" + e.getValue("to") + "|" + e.getString("actor")
          + "|" + e.getString("reason"));
    }
    return lines;
  }

  private static final List<String> FLAGS =
      List.of("telemarketingReady", "telemarketingAccepted", "salesReady", "salesAccepted");
}
