package io.leadcycle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadcycle.process.ProcessAction;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionsTest {

  private static Caller caller(Role... roles) {
    return new Caller("u-1", "Tina", null, Set.of(roles), false);
  }

  @Test
  void everyProcessActionAClientMaySendHasAnEntry() {
    Arrays.stream(ProcessAction.values()).filter(a -> a != ProcessAction.FIRST_SCORED)
        .forEach(a -> assertThat(Permissions.actions()).as(a.wireName()).containsKey(a.wireName()));
  }

  @Test
  void aRefusalNamesEveryRoleThatMayAndChangesNothing() {
    Problem refused = catchThrowableOfType(Problem.class,
        () -> Permissions.requireRoute("POST /v1/scoring-models", caller(Role.SALES)));
    JsonObject json = refused.toJson();
    assertThat(json.getInteger("status")).isEqualTo(403);
    assertThat(json.getString("type")).isEqualTo("urn:leadcycle:problem:forbidden");
    assertThat(json.getString("title")).isEqualTo("Forbidden");
    assertThat(json.getString("detail")).isEqualTo(
        "POST /v1/scoring-models needs the role marketing or admin; you have the role sales.");
    assertThat(json.getJsonArray("requiredRoles").getList()).containsExactly("marketing", "admin");
  }

  @Test
  void aSalesManagerMayDoWhatSalesMayAndAdminEverything() {
    assertThatCode(() -> Permissions.requireAction("convert", caller(Role.SALES_MANAGER))).doesNotThrowAnyException();
    assertThat(Permissions.action("convert").granted()).containsExactly(Role.SALES, Role.SALES_MANAGER, Role.ADMIN);
    Permissions.routes().keySet().forEach(route -> assertThat(Permissions.route(route).allows(caller(Role.ADMIN))).isTrue());
    Permissions.actions().keySet().forEach(a -> assertThat(Permissions.action(a).allows(caller(Role.ADMIN))).isTrue());
    Problem refused = catchThrowableOfType(Problem.class, () -> Permissions.requireAction("assign", caller(Role.SALES)));
    assertThat(refused.toJson().getJsonArray("requiredRoles").getList()).containsExactly("sales_manager", "admin");
  }

  @Test
  void aCallerWithoutARoleMayOnlyAskWhoTheyAre() {
    Caller nobody = new Caller("u-2", "New hire", null, Set.of(), false);
    assertThat(Permissions.route("GET /v1/me").allows(nobody)).isTrue();
    Permissions.routes().forEach((route, rule) -> {
      if (!route.equals("GET /v1/me")) {
        assertThat(rule.allows(nobody)).as(route).isFalse();
      }
    });
    assertThat(catchThrowableOfType(Problem.class, () -> Permissions.requireRoute("GET /v1/leads", nobody)).getMessage())
        .contains("you have no role");
    assertThat(Permissions.route("GET /v1/me").allows(Caller.NOBODY)).isFalse();
  }

  @Test
  void aRouteMissingFromTheTableIsForAdminsOnly() {
    assertThat(Permissions.route("POST /v1/unknown").granted()).containsExactly(Role.ADMIN);
  }

  @Test
  void rolesComeFromCognitoGroupsAsApiGatewayPassesThem() {
    assertThat(Caller.fromClaims(Map.of("sub", "s", "cognito:groups", "[sales_manager marketing]")).roles())
        .containsExactlyInAnyOrder(Role.SALES_MANAGER, Role.MARKETING);
    assertThat(Caller.fromClaims(Map.of("sub", "s", "cognito:groups", "[\"admin\",\"sales\"]")).roles())
        .containsExactlyInAnyOrder(Role.ADMIN, Role.SALES);
    assertThat(Caller.fromClaims(Map.of("sub", "s", "cognito:groups", "[interns]")).roles()).isEmpty();
    assertThat(Caller.fromClaims(Map.of("sub", "s")).roles()).isEmpty();
  }

  @Test
  void theActorsNameIsNameThenEmailThenUserNameNeverTheSubject() {
    String sub = "3f1c9a52-8b6e-4d1f-9c3a-7e2b5d4a6f10";
    assertThat(Caller.fromClaims(Map.of("sub", sub, "name", "Ada Lovelace", "email", "ada@example.com")).name())
        .isEqualTo("Ada Lovelace");
    assertThat(Caller.fromClaims(Map.of("sub", sub, "email", "ada@example.com", "cognito:username", sub)).name())
        .isEqualTo("ada@example.com");
    assertThat(Caller.fromClaims(Map.of("sub", sub, "cognito:username", "ada")).name()).isEqualTo("ada");
    assertThat(Caller.fromClaims(Map.of("sub", sub, "username", sub)).name()).isNull();
    assertThat(Caller.fromClaims(Map.of("sub", sub, "iss", "https://cognito-idp.eu-west-1.amazonaws.com/x")).external())
        .isTrue();
    assertThat(Caller.fromClaims(Map.of("sub", sub, "iss", Caller.LOCAL_ISSUER)).external()).isFalse();
  }
}
