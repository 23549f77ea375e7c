package io.leadcycle.local.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /v1/contacts} and {@code /v1/accounts} by hand, through the local server. */
class ContactsAndAccountsHttpTest extends LeadApiTestBase {

  // ---- browsing and search ----------------------------------------------------------------------------

  @Test
  void contactsAccountsAndLeadsAreSearchedOverHttpByWordBeginningsIgnoringCaseAndAccents() {
    String acme = createAccount("Acme GmbH").getString("id");
    String juergen = created(post("/v1/contacts", new JsonObject().put("email", "j.mueller@bau.example")
        .put("firstName", "Jürgen").put("lastName", "Müller").put("accountId", acme))).getString("id");
    String grace = created(post("/v1/contacts", new JsonObject().put("email", "grace@example.com")
        .put("firstName", "Grace").put("lastName", "Hopper"))).getString("id");
    String lead = created(post("/v1/leads", new JsonObject().put("topic", "Fleet").put("contactId", juergen)
        .put("context", new JsonObject().put("kind", "manual")))).getString("id");

    assertThat(ok(get("/v1/contacts?q=MULLER")).getJsonArray("items").getJsonObject(0).getString("id"))
        .isEqualTo(juergen);
    assertThat(ok(get("/v1/contacts?q=grace%40exa")).getJsonArray("items").getJsonObject(0).getString("id"))
        .isEqualTo(grace);
    assertThat(ok(get("/v1/contacts?limit=1")).getJsonArray("items").getJsonObject(0).getString("id"))
        .isEqualTo(grace);
    assertThat(ok(get("/v1/accounts?q=acme")).getJsonArray("items").getJsonObject(0).getString("id"))
        .isEqualTo(acme);
    assertThat(ok(get("/v1/accounts")).getJsonArray("items")).hasSize(1);
    JsonObject leads = ok(get("/v1/leads?q=acme%20m%C3%BCl&sort=grade"));
    assertThat(leads.getJsonArray("items")).hasSize(1);
    assertThat(leads.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(lead);
    assertInvalid(get("/v1/accounts?q=a"), "q");
    assertInvalid(get("/v1/leads?sort=alphabet"), "sort");
  }

  // ---- contacts ---------------------------------------------------------------------------------------

  @Test
  void postCreatesAContactLinkedToItsAccountWithItsAttributes() {
    String accountId = createAccount("Analytical Engines Ltd").getString("id");

    Reply reply = post("/v1/contacts", new JsonObject()
        .put("email", "Ada@Example.com").put("firstName", "Ada").put("lastName", "Lovelace")
        .put("phone", "+44 20 7946 0000").put("companyName", "Analytical Engines").put("jobTitle", "Analyst")
        .put("country", "GB").put("accountId", accountId)
        .put("attributes", new JsonObject().put("favouriteColour", "teal").put("shoeSize", 38)));

    JsonObject contact = created(reply);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(UUID.fromString(contact.getString("id"))).isNotNull();
    assertThat(contact.getString("email")).isEqualTo("Ada@Example.com");
    assertThat(contact.getString("firstName")).isEqualTo("Ada");
    assertThat(contact.getString("lastName")).isEqualTo("Lovelace");
    assertThat(contact.getString("phone")).isEqualTo("+44 20 7946 0000");
    assertThat(contact.getString("companyName")).isEqualTo("Analytical Engines");
    assertThat(contact.getString("jobTitle")).isEqualTo("Analyst");
    assertThat(contact.getString("country")).isEqualTo("GB");
    assertThat(contact.getString("accountId")).isEqualTo(accountId);
    assertThat(contact.getJsonObject("attributes"))
        .isEqualTo(new JsonObject().put("favouriteColour", "teal").put("shoeSize", "38"));
    assertThat(contact.getJsonArray("leadIds")).isEmpty();

    JsonObject read = ok(get("/v1/contacts/" + contact.getString("id")));
    assertThat(withoutConsentHistory(read)).isEqualTo(contact);
    assertThat(count("SELECT count(*) FROM contacts WHERE account_id = '" + accountId + "'")).isEqualTo(1);
  }

  @Test
  void aSecondContactWithTheSameEmailInOtherCaseAndWhitespaceIsAConflictNamingTheFirst() {
    String firstId = createContact("ada@example.com").getString("id");

    Reply duplicate = post("/v1/contacts", new JsonObject().put("email", "  ADA@Example.COM ").put("firstName", "Copy"));

    assertProblem(duplicate, 409);
    assertThat(duplicate.body().getString("existingId")).isEqualTo(firstId);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(ok(get("/v1/contacts/" + firstId)).getString("firstName")).isNull();
  }

  @Test
  void contactsWithoutEmailAreAllowedAndNeverDuplicatesOfEachOther() {
    JsonObject first = createContact(new JsonObject().put("firstName", "Nobody").put("phone", "555 0100"));
    JsonObject second = createContact(new JsonObject().put("firstName", "Nobody").put("phone", "555 0100"));

    assertThat(first.getString("email")).isNull();
    assertThat(second.getString("id")).isNotEqualTo(first.getString("id"));
    assertThat(count("SELECT count(*) FROM contacts WHERE email IS NULL")).isEqualTo(2);
  }

  @Test
  void patchChangesFieldsClearsNullsAndMergesAttributes() {
    JsonObject contact = createContact(new JsonObject().put("email", "grace@example.com").put("firstName", "Grace")
        .put("lastName", "Hopper").put("jobTitle", "Rear Admiral")
        .put("attributes", new JsonObject().put("keep", "k").put("change", "old").put("drop", "d")));
    String id = contact.getString("id");

    JsonObject patched = ok(patch("/v1/contacts/" + id, new JsonObject()
        .put("firstName", "Amazing Grace").putNull("jobTitle").put("country", "US")
        .put("attributes", new JsonObject().put("change", "new").putNull("drop").put("added", "a"))));

    assertThat(patched.getString("firstName")).isEqualTo("Amazing Grace");
    assertThat(patched.getString("jobTitle")).isNull();
    assertThat(patched.getString("country")).isEqualTo("US");
    assertThat(patched.getString("lastName")).isEqualTo("Hopper");
    assertThat(patched.getString("email")).isEqualTo("grace@example.com");
    assertThat(patched.getJsonObject("attributes"))
        .isEqualTo(new JsonObject().put("keep", "k").put("change", "new").put("added", "a"));
    assertThat(withoutConsentHistory(ok(get("/v1/contacts/" + id)))).isEqualTo(patched);
    assertThat(count("SELECT count(*) FROM contacts WHERE job_title IS NULL AND first_name = 'Amazing Grace'"))
        .isEqualTo(1);
  }

  @Test
  void patchLinksAndUnlinksTheAccount() {
    String id = createContact("linus@example.com").getString("id");
    String accountId = createAccount("Penguins Inc").getString("id");

    JsonObject linked = ok(patch("/v1/contacts/" + id, new JsonObject().put("accountId", accountId)));
    assertThat(linked.getString("accountId")).isEqualTo(accountId);
    assertThat(linked.getString("email")).isEqualTo("linus@example.com");

    JsonObject unlinked = ok(patch("/v1/contacts/" + id, new JsonObject().putNull("accountId")));
    assertThat(unlinked.getString("accountId")).isNull();
    assertThat(ok(get("/v1/contacts/" + id)).getString("accountId")).isNull();
    assertThat(count("SELECT count(*) FROM contacts WHERE account_id IS NOT NULL")).isZero();
  }

  @Test
  void patchingToAnotherContactsEmailIsAConflictAndChangesNothing() {
    String adaId = createContact("ada@example.com").getString("id");
    JsonObject grace = createContact(new JsonObject().put("email", "grace@example.com").put("firstName", "Grace"));

    Reply reply = patch("/v1/contacts/" + grace.getString("id"),
        new JsonObject().put("email", " ADA@example.com").put("firstName", "Renamed"));

    assertProblem(reply, 409);
    assertThat(reply.body().getString("existingId")).isEqualTo(adaId);
    assertThat(withoutConsentHistory(ok(get("/v1/contacts/" + grace.getString("id"))))).isEqualTo(grace);
  }

  @Test
  void patchingUnknownOrMalformedIdsIsNotFound() {
    assertProblem(patch("/v1/contacts/" + UUID.randomUUID(), new JsonObject().put("firstName", "X")), 404);
    assertProblem(patch("/v1/contacts/not-a-uuid", new JsonObject().put("firstName", "X")), 404);
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void anUnknownAccountIsInvalidOnCreateAndOnPatch() {
    Reply create = post("/v1/contacts", new JsonObject().put("email", "x@example.com")
        .put("accountId", UUID.randomUUID().toString()));
    assertInvalid(create, "accountId");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();

    JsonObject contact = createContact("y@example.com");
    Reply patched = patch("/v1/contacts/" + contact.getString("id"),
        new JsonObject().put("accountId", UUID.randomUUID().toString()).put("firstName", "Y"));
    assertInvalid(patched, "accountId");
    assertThat(withoutConsentHistory(ok(get("/v1/contacts/" + contact.getString("id"))))).isEqualTo(contact);

    assertInvalid(post("/v1/contacts", new JsonObject().put("email", "z@example.com").put("accountId", "nope")),
        "accountId");
  }

  @Test
  void unknownFieldsAndEmptyPatchesAreInvalid() {
    assertInvalid(post("/v1/contacts", new JsonObject().put("email", "a@example.com").put("emial", "typo")), "emial");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();

    JsonObject contact = createContact("b@example.com");
    String path = "/v1/contacts/" + contact.getString("id");
    assertInvalid(patch(path, new JsonObject().put("favouriteColour", "teal")), "favouriteColour");
    Reply empty = patch(path, new JsonObject());
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.contentType()).isEqualTo("application/problem+json");
    assertThat(empty.detail()).contains("empty patch");
    assertInvalid(patch(path, new JsonObject().put("email", "not an email")), "email");
    assertThat(withoutConsentHistory(ok(get(path)))).isEqualTo(contact);
  }

  // ---- accounts ---------------------------------------------------------------------------------------

  @Test
  void postCreatesAnAccountThatGetReturns() {
    Reply reply = post("/v1/accounts", new JsonObject().put("name", "Analytical Engines Ltd")
        .put("domain", "engines.example").put("industry", "Computing").put("employeeCount", 250)
        .put("annualRevenue", 1234567.5).put("country", "GB"));

    JsonObject account = created(reply);
    assertThat(account.getString("name")).isEqualTo("Analytical Engines Ltd");
    assertThat(account.getString("domain")).isEqualTo("engines.example");
    assertThat(account.getString("industry")).isEqualTo("Computing");
    assertThat(account.getInteger("employeeCount")).isEqualTo(250);
    assertThat(account.getDouble("annualRevenue")).isEqualTo(1234567.5);
    assertThat(account.getString("country")).isEqualTo("GB");

    JsonObject read = ok(get("/v1/accounts/" + account.getString("id")));
    assertThat(read).isEqualTo(account);
    assertThat(count("SELECT count(*) FROM accounts WHERE annual_revenue = 1234567.50 AND employee_count = 250"))
        .isEqualTo(1);
  }

  @Test
  void invalidAccountsAreRejectedNamingTheField() {
    assertInvalid(post("/v1/accounts", new JsonObject().put("domain", "nameless.example")), "name");
    assertInvalid(post("/v1/accounts", new JsonObject().put("name", "Shrinking").put("employeeCount", -1)),
        "employeeCount");
    assertInvalid(post("/v1/accounts", new JsonObject().put("name", "Vague").put("annualRevenue", "lots")),
        "annualRevenue");
    assertInvalid(post("/v1/accounts", new JsonObject().put("name", "Typo").put("employees", 3)), "employees");
    assertThat(count("SELECT count(*) FROM accounts")).isZero();
  }

  @Test
  void theLargestRevenueTheColumnHoldsIsAccepted() {
    JsonObject account = created(post("/v1/accounts", new JsonObject().put("name", "Big").put("annualRevenue",
        1234567890123456.0)));

    assertThat(account.getDouble("annualRevenue")).isEqualTo(1234567890123456.0);
  }

  @Test
  void anAnnualRevenueTooLargeForTheColumnIsInvalidNotAServerError() {
    assertInvalid(post("/v1/accounts", new JsonObject().put("name", "Huge").put("annualRevenue", 1e18)),
        "annualRevenue");
    assertInvalid(post("/v1/accounts", new JsonObject().put("name", "Huger").put("annualRevenue", 1e30)),
        "annualRevenue");
    assertThat(count("SELECT count(*) FROM accounts")).isZero();
  }

  @Test
  void aNulCharacterIsInvalidInputNotAServerError() {
    assertInvalid(post("/v1/contacts", new JsonObject().put("firstName", "a\u0000b")), "firstName");
    assertInvalid(post("/v1/contacts", new JsonObject().put("email", "nul@example.com")
        .put("attributes", new JsonObject().put("note", "a\u0000b"))), "attributes.note");
    assertInvalid(post("/v1/accounts", new JsonObject().put("name", "a\u0000b")), "name");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
    assertThat(count("SELECT count(*) FROM accounts")).isZero();
  }

  @Test
  void unknownAccountsAreNotFound() {
    assertProblem(get("/v1/accounts/" + UUID.randomUUID()), 404);
    assertProblem(get("/v1/accounts/not-a-uuid"), 404);
  }

  /** GET of one contact shows what POST and PATCH answer, and its consent history (none: the API sets no consent). */
  private static JsonObject withoutConsentHistory(JsonObject contact) {
    assertThat(contact.getJsonArray("consentHistory")).isEmpty();
    JsonObject copy = contact.copy();
    copy.remove("consentHistory");
    return copy;
  }
}
