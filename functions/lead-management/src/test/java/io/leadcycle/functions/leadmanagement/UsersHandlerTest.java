package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.http.Caller;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/me} and {@code /v1/users} as Lambda receives them: users with their own tokens (the local
 * server's; its claims carry {@link Caller#LOCAL_ISSUER}), validation one error per fault, the last admin
 * kept, and users an identity provider vouched for (Cognito) recorded for owner pickers.
 */
class UsersHandlerTest extends LeadManagementHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    query("DELETE FROM users");
  }

  /** A request of a local admin (as the local server sends it for a user's token). */
  private static HttpEvents local(String routeKey, String path, String name, String... roles) {
    return request(routeKey, path).claim("iss", Caller.LOCAL_ISSUER).claim("name", name).roles(roles);
  }

  private APIGatewayV2HTTPResponse createUser(String json) {
    return call(local("POST /v1/users", "/v1/users", "Ada", "admin").json(json).build());
  }

  @Test
  void anAdminMakesAUserWhoseTokenIsShownOnceAndKeptOnlyAsAHash() {
    JsonObject created = created(createUser("{\"name\": \" Tom Caller \", \"email\": \"Tom@Example.com\", "
        + "\"roles\": [\"telemarketing\"]}"));

    assertThat(created.fieldNames()).containsExactlyInAnyOrder("id", "name", "email", "roles", "token");
    assertThat(created.getString("name")).isEqualTo("Tom Caller");
    assertThat(created.getString("email")).isEqualTo("tom@example.com");
    assertThat(created.getJsonArray("roles").getList()).containsExactly("telemarketing");
    String token = created.getString("token");
    assertThat(token).hasSizeGreaterThan(40);
    assertThat(rows("SELECT token_hash FROM users").get(0).getString("token_hash"))
        .isEqualTo(io.leadcycle.users.UserService.tokenHash(token)).doesNotContain(token);

    JsonArray users = new JsonArray(call(local("GET /v1/users", "/v1/users", "Tom", "telemarketing").build()).getBody());
    assertThat(users.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("id", "name", "roles");
    assertThat(users.getJsonObject(0).getString("name")).isEqualTo("Tom Caller");
  }

  @Test
  void eachFaultIsOneError() {
    assertThat(errorFields(assertProblem(createUser("{\"name\": \" \", \"email\": \"not-an-email\", "
        + "\"roles\": [\"sales\", \"boss\", 7]}"), 400)))
        .containsExactlyInAnyOrder("name", "email", "roles[1]", "roles[2]");
    assertThat(errorFields(assertProblem(createUser("{\"name\": \"Tom\"}"), 400))).containsExactly("roles");
    assertThat(errorFields(assertProblem(createUser("{\"name\": \"Tom\", \"roles\": [], \"password\": \"x\"}"), 400))).containsExactly("password");
    assertThat(count("SELECT count(*) FROM users")).isZero();
  }

  @Test
  void onlyAnAdminManagesUsers() {
    JsonObject problem = assertProblem(call(local("POST /v1/users", "/v1/users", "Sue", "sales_manager")
        .json("{\"name\": \"Tom\", \"roles\": []}").build()), 403);
    assertThat(problem.getJsonArray("requiredRoles").getList()).containsExactly("admin");
    assertThat(count("SELECT count(*) FROM users")).isZero();
  }

  @Test
  void theLastAdminKeepsTheRoleAndCannotBeDisabled() {
    String id = created(createUser("{\"name\": \"Ada\", \"roles\": [\"admin\"]}")).getString("id");
    HttpEvents patch = local("PATCH /v1/users/{userId}", "/v1/users/" + id, "Ada", "admin").pathParameter("userId", id);

    assertThat(assertProblem(call(patch.json("{\"roles\": [\"sales\"]}").build()), 409).getString("detail"))
        .contains("last admin");
    assertProblem(call(local("DELETE /v1/users/{userId}", "/v1/users/" + id, "Ada", "admin")
        .pathParameter("userId", id).build()), 409);

    String other = created(createUser("{\"name\": \"Bob\", \"roles\": [\"admin\"]}")).getString("id");
    JsonObject patched = ok(call(local("PATCH /v1/users/{userId}", "/v1/users/" + id, "Ada", "admin")
        .pathParameter("userId", id).json("{\"roles\": [\"sales\"], \"name\": \"Ada L.\", \"email\": null}").build()));
    assertThat(patched.getJsonArray("roles").getList()).containsExactly("sales");
    assertThat(patched.getString("name")).isEqualTo("Ada L.");
    assertThat(call(local("DELETE /v1/users/{userId}", "/v1/users/" + id, "Bob", "admin")
        .pathParameter("userId", id).build()).getStatusCode()).isEqualTo(204);
    assertThat(rows("SELECT disabled_at, token_hash FROM users WHERE id = '" + id + "'").get(0).getValue("token_hash"))
        .isNull();
    JsonArray users = new JsonArray(call(local("GET /v1/users", "/v1/users", "Bob", "admin").build()).getBody());
    assertThat(users.stream().map(u -> ((JsonObject) u).getString("id"))).containsExactly(other);
  }

  @Test
  void meIsWhatTheTokenSaysAndACognitoUserIsRecordedForOwnerPickers() {
    String sub = "3f1c9a52-8b6e-4d1f-9c3a-7e2b5d4a6f10";
    JsonObject me = ok(call(request("GET /v1/me", "/v1/me").jwtSubject(sub).claim("name", "Grace Hopper")
        .claim("email", "grace@example.com").claim("cognito:username", sub).roles("sales", "interns").build()));

    assertThat(me).isEqualTo(new JsonObject().put("id", sub).put("name", "Grace Hopper")
        .put("email", "grace@example.com").put("roles", new JsonArray().add("sales")));
    JsonArray users = new JsonArray(call(request("GET /v1/users", "/v1/users").build()).getBody());
    assertThat(users).containsExactly(new JsonObject().put("id", sub).put("name", "Grace Hopper")
        .put("roles", new JsonArray().add("sales")));
    // Users are Cognito's there: an admin manages them in the pool.
    assertThat(assertProblem(call(request("POST /v1/users", "/v1/users").json("{\"name\": \"x\", \"roles\": []}")
        .build()), 409).getString("detail")).contains("Cognito");
  }

  @Test
  void aTokenWithoutAGroupMayOnlyAskWhoItIs() {
    HttpEvents nobody = request("GET /v1/me", "/v1/me").claim("email", "new@example.com").claim("cognito:groups", "");
    assertThat(ok(call(nobody.build())).getJsonArray("roles")).isEmpty();
    assertProblem(call(request("GET /v1/users", "/v1/users").claim("email", "new@example.com")
        .claim("cognito:groups", "").build()), 403);
  }
}
