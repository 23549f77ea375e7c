package io.leadcycle.local.people;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.ContractHttp;
import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * People and roles through the real HTTP path: the first start's admin makes a user per role, and each
 * one's own token reaches what their role allows and is refused the rest ({@code 403} naming the roles
 * that may, nothing changed), routes and lead process actions alike; timelines name who acted.
 */
class PeopleAndRolesHttpTest {

  private static final String ADMIN_TOKEN = "people-test-admin-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private static LocalServer server;

  private String maria;
  private String tom;
  private String sam;
  private String sue;
  private String newHire;

  record Reply(int status, String body) {

    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeAll
  static void start() {
    server = LocalServer.start(Map.of("DATABASE_URL", TestDatabase.url()), 0, ADMIN_TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void makeOnePersonPerRole() {
    TestDatabase.reset();
    // Users stay (other test classes of this JVM keep theirs): each test makes its own people.
    maria = token("Maria Marketing", "marketing");
    tom = token("Tom Telemarketing", "telemarketing");
    sam = token("Sam Sales", "sales");
    sue = token("Sue Manager", "sales_manager");
    newHire = createUser(new JsonObject().put("name", "New Hire").put("roles", new JsonArray())).getString("token");
  }

  private static Reply call(String token, String method, String path, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
    if (body != null) {
      request.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(body.encode()));
    } else {
      request.method(method, BodyPublishers.noBody());
    }
    try {
      // The local server's own tools are no part of the route reference.
      var response = path.startsWith("/_local/") ? HTTP.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
          : ContractHttp.send(HTTP, request.build(), body == null ? null : body.encode());
      return new Reply(response.statusCode(), response.body());
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  private static JsonObject createUser(JsonObject user) {
    Reply reply = call(ADMIN_TOKEN, "POST", "/v1/users", user);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json();
  }

  private static String token(String name, String role) {
    return createUser(new JsonObject().put("name", name).put("roles", new JsonArray().add(role))).getString("token");
  }

  /** Asserts the 403 of a refusal naming {@code requiredRoles}. */
  private static void assertRefused(Reply reply, String... requiredRoles) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(403);
    JsonObject problem = reply.json();
    assertThat(problem.getString("type")).isEqualTo("urn:leadcycle:problem:forbidden");
    assertThat(problem.getString("title")).isEqualTo("Forbidden");
    assertThat(problem.getString("detail")).contains("needs the role");
    assertThat(problem.getJsonArray("requiredRoles").getList()).containsExactly((Object[]) requiredRoles);
  }

  private static void assertAllowed(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isBetween(200, 299);
  }

  @Test
  void eachRoleReachesItsRoutesAndIsRefusedTheRest() {
    // marketing: the set-up of lead generation
    for (String path : List.of("/v1/forms", "/v1/matching-strategies", "/v1/subscribers", "/v1/imports",
        "/v1/linkedin/forms", "/v1/scoring-models")) {
      assertAllowed(call(maria, "GET", path, null));
    }
    // telemarketing and sales: their queues, not the set-up
    assertAllowed(call(tom, "GET", "/v1/leads?view=telemarketing", null));
    assertAllowed(call(sam, "GET", "/v1/leads?view=sales", null));
    assertRefused(call(tom, "GET", "/v1/forms", null), "marketing", "admin");
    assertRefused(call(sam, "POST", "/v1/subscribers", new JsonObject().put("url", "https://hooks.example.com/x")
        .put("events", new JsonArray().add("lead.created"))), "marketing", "admin");
    assertRefused(call(sue, "POST", "/v1/scoring-models", new JsonObject().put("name", "x")), "marketing", "admin");
    assertRefused(call(tom, "POST", "/v1/users", new JsonObject().put("name", "x").put("roles", new JsonArray())),
        "admin");
    // the local server's own tools ask the same table
    assertRefused(call(maria, "GET", "/_local/queues/scoring-nudge", null), "admin");
    // owner pickers: anyone with a role
    JsonArray users = new JsonArray(call(sam, "GET", "/v1/users", null).body());
    assertThat(users.stream().map(u -> ((JsonObject) u).getString("name"))).contains("admin", "Maria Marketing",
        "Sam Sales", "Sue Manager", "Tom Telemarketing");
    // admin: everything
    assertAllowed(call(ADMIN_TOKEN, "GET", "/v1/forms", null));
    assertAllowed(call(ADMIN_TOKEN, "GET", "/_local/queues/scoring-nudge", null));
    assertThat(TestDatabase.database().pool().query("SELECT count(*) FROM subscribers").execute().await()
        .iterator().next().getLong(0)).isZero();
  }

  @Test
  void aUserWithoutARoleMayOnlyAskWhoTheyAre() {
    JsonObject me = call(newHire, "GET", "/v1/me", null).json();
    assertThat(me.getString("name")).isEqualTo("New Hire");
    assertThat(me.getJsonArray("roles")).isEmpty();
    Reply leads = call(newHire, "GET", "/v1/leads", null);
    assertThat(leads.status()).isEqualTo(403);
    assertThat(leads.json().getString("detail")).contains("you have no role");
  }

  @Test
  void meIsTheSignedInUser() {
    JsonObject me = call(sue, "GET", "/v1/me", null).json();
    assertThat(me.fieldNames()).containsExactlyInAnyOrder("id", "name", "email", "roles");
    assertThat(me.getString("name")).isEqualTo("Sue Manager");
    assertThat(me.getJsonArray("roles").getList()).containsExactly("sales_manager");
    JsonObject admin = call(ADMIN_TOKEN, "GET", "/v1/me", null).json();
    assertThat(admin.getString("name")).isEqualTo("admin");
    assertThat(admin.getJsonArray("roles").getList()).containsExactly("admin");
  }

  @Test
  void aLeadGoesThroughTheTeamEachActionByItsRoleAndTheTimelineNamesWhoActed() {
    String lead = call(maria, "POST", "/v1/leads", new JsonObject().put("topic", "Pricing request")
        .put("context", new JsonObject().put("kind", "manual").put("id", "desk").put("name", "Sales desk")))
        .json().getString("id");
    String process = "/v1/leads/" + lead + "/process";

    assertAllowed(call(maria, "POST", process, new JsonObject().put("action", "mark-telemarketing-ready")
        .put("actor", "mallory")));
    assertRefused(call(sam, "POST", process, new JsonObject().put("action", "accept-telemarketing")),
        "telemarketing", "admin");
    assertAllowed(call(tom, "POST", process, new JsonObject().put("action", "accept-telemarketing")));
    assertRefused(call(tom, "POST", process, new JsonObject().put("action", "move").put("stage", "inquiry")
        .put("reason", "x")), "sales_manager", "admin");
    assertAllowed(call(tom, "POST", process, new JsonObject().put("action", "ready-for-sales")));
    assertRefused(call(tom, "POST", process, new JsonObject().put("action", "accept-sales").put("ownerId", "sam")),
        "sales", "sales_manager", "admin");
    assertAllowed(call(sue, "POST", process, new JsonObject().put("action", "accept-sales").put("ownerId", "sam")));
    assertRefused(call(maria, "POST", process, new JsonObject().put("action", "convert")),
        "sales", "sales_manager", "admin");
    JsonObject converted = call(sam, "POST", process, new JsonObject().put("action", "convert")).json();

    assertThat(converted.getString("status")).isEqualTo("converted");
    assertThat(converted.getJsonArray("timeline").stream().map(e -> ((JsonObject) e).getString("actor")).distinct())
        .containsExactly("Maria Marketing", "Tom Telemarketing", "Sue Manager", "Sam Sales");
    // The refusals changed nothing: one event per allowed action only.
    assertThat(TestDatabase.database().pool().query("SELECT DISTINCT payload->>'actor' AS actor FROM outbox")
        .execute().await().size()).isLessThanOrEqualTo(4);
  }

  @Test
  void aDisabledUsersTokenStopsAtOnceAndTheLastAdminStays() {
    assertAllowed(call(tom, "GET", "/v1/me", null));
    String tomId = call(tom, "GET", "/v1/me", null).json().getString("id");

    assertThat(call(ADMIN_TOKEN, "DELETE", "/v1/users/" + tomId, null).status()).isEqualTo(204);

    Reply after = call(tom, "GET", "/v1/me", null);
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.json().getString("type")).isEqualTo("urn:leadcycle:problem:unauthorized");
    String adminId = call(ADMIN_TOKEN, "GET", "/v1/me", null).json().getString("id");
    assertThat(call(ADMIN_TOKEN, "PATCH", "/v1/users/" + adminId, new JsonObject().put("roles",
        new JsonArray().add("sales"))).status()).isEqualTo(409);
    assertThat(call(ADMIN_TOKEN, "DELETE", "/v1/users/" + adminId, null).status()).isEqualTo(409);
    assertAllowed(call(ADMIN_TOKEN, "GET", "/v1/me", null));
  }

  @Test
  void validationIsOneErrorPerFault() {
    Reply reply = call(ADMIN_TOKEN, "POST", "/v1/users", new JsonObject().put("name", "")
        .put("email", "nobody-at-example").put("roles", new JsonArray().add("sales").add("ceo")));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("name", "email", "roles[1]");
  }
}
