package io.leadcycle.local.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two contacts may share an email when a form matches on more than the email (API.md: "several can
 * exist under other strategies"). Editing one of them must still work as long as the edit does not
 * change the email.
 */
class ContactsSharingAnEmailHttpTest extends LeadApiTestBase {

  private String first;
  private String second;

  @BeforeEach
  void twoContactsWithOneEmail() {
    String strategyId = created(post("/v1/matching-strategies", new JsonObject().put("name", "email and last name")
        .put("entity", "contact").put("fields", new JsonArray().add("email").add("lastName")))).getString("id");
    Reply form = call("PUT", "/v1/forms/family-page", new JsonObject().put("name", "Family page")
        .put("kind", "marketing_page").put("contactStrategyId", strategyId).put("requireSignature", false));
    assertThat(form.status()).isEqualTo(201);
    first = submit("Smith");
    second = submit("Jones");
    assertThat(first).isNotEqualTo(second);
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm = 'family@example.com'")).isEqualTo(2);
  }

  private static String submit(String lastName) {
    Reply reply = post("/v1/forms/family-page/submissions", new JsonObject().put("fields",
        new JsonObject().put("email", "family@example.com").put("lastName", lastName)));
    assertThat(reply.status()).as("submission: %s", reply.body()).isEqualTo(201);
    // An unsigned submission's answer names no records: the contact is the one with that last name.
    return rows("SELECT id::text AS id FROM contacts WHERE last_name = $1", lastName).get(0).getString("id");
  }

  @Test
  void changingTheEmailOfAThirdContactToTheSharedOneIsStillAConflict() {
    String third = createContact("third@example.com").getString("id");

    Reply reply = patch("/v1/contacts/" + third, new JsonObject().put("email", "family@example.com"));

    assertProblem(reply, 409);
    assertThat(reply.body().getString("existingId")).isIn(first, second);
  }

  @Test
  void aContactSharingItsEmailCanStillBeLinkedToAnAccountAndEdited() {
    String accountId = createAccount("Family Business").getString("id");

    Reply linked = patch("/v1/contacts/" + first, new JsonObject().put("accountId", accountId));
    Reply edited = patch("/v1/contacts/" + second, new JsonObject().put("phone", "+1 555 0100"));

    assertThat(linked.status()).as("link: %s", linked.body()).isEqualTo(200);
    assertThat(linked.body().getString("accountId")).isEqualTo(accountId);
    assertThat(edited.status()).as("edit: %s", edited.body()).isEqualTo(200);
    assertThat(edited.body().getString("phone")).isEqualTo("+1 555 0100");
  }
}
