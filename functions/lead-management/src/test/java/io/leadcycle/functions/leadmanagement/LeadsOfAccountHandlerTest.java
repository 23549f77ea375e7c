package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An account's and a contact's leads ({@code GET /v1/leads?accountId=}, {@code ?contactId=}) and an account's
 * contacts ({@code GET /v1/contacts?accountId=}) through the handler, on the real database: a lead belongs to
 * its own account, or, with none of its own, to its contact's; combined with view, sort, q and paging; a
 * malformed id is a 400 naming the parameter.
 */
class LeadsOfAccountHandlerTest extends LeadManagementHarness {

  private String acme;
  private String initech;
  private String grace;
  private String ada;
  private String bob;
  /** Grace's lead, made before Grace joined Acme: it has no account of its own, its contact's is Acme. */
  private String graceLead;
  /** A lead of Ada, who is at Acme, but filed under Initech by hand: its own account wins. */
  private String adaAtInitech;
  /** Ada's lead, which took her account (Acme) when it was made. */
  private String adaLead;
  /** A lead of Acme with no contact. */
  private String acmeOnly;
  private String bobLead;

  @BeforeEach
  void accountsContactsAndLeads() {
    TestDatabase.reset();
    acme = createAccount("{\"name\": \"Acme GmbH\", \"domain\": \"acme.example\"}").getString("id");
    initech = createAccount("{\"name\": \"Initech\", \"domain\": \"initech.example\"}").getString("id");
    grace = createContact("{\"email\": \"grace@example.com\", \"firstName\": \"Grace\", \"lastName\": \"Hopper\"}")
        .getString("id");
    graceLead = lead("Grace's pricing question", "\"contactId\": \"" + grace + "\"");
    ok(patchContact(grace, "{\"accountId\": \"" + acme + "\"}"));
    ada = createContact("{\"email\": \"ada@acme.example\", \"firstName\": \"Ada\", \"lastName\": \"Lovelace\","
        + " \"accountId\": \"" + acme + "\"}").getString("id");
    adaLead = lead("Ada's demo", "\"contactId\": \"" + ada + "\"");
    adaAtInitech = lead("Ada for Initech", "\"contactId\": \"" + ada + "\", \"accountId\": \"" + initech + "\"");
    acmeOnly = lead("Acme's tender", "\"accountId\": \"" + acme + "\"");
    bob = createContact("{\"email\": \"bob@initech.example\", \"firstName\": \"Bob\", \"accountId\": \"" + initech + "\"}")
        .getString("id");
    bobLead = lead("Bob's trial", "\"contactId\": \"" + bob + "\"");
    assertThat(ok(getLead(graceLead)).getValue("accountId")).as("no account of its own").isNull();
  }

  @Test
  void anAccountsLeadsAreItsOwnAndThoseOfItsContactsWithoutAnAccountOfTheirOwn() {
    assertThat(ids(ok(listLeads("accountId", acme)))).containsExactly(graceLead, adaLead, acmeOnly);
    assertThat(ids(ok(listLeads("accountId", initech)))).containsExactly(adaAtInitech, bobLead);
    // An account nobody has is an empty list, as any filter that matches nothing.
    assertThat(ids(ok(listLeads("accountId", UUID.randomUUID().toString())))).isEmpty();
  }

  @Test
  void aContactsLeadsAreThoseOfTheContactWhateverTheirAccount() {
    assertThat(ids(ok(listLeads("contactId", ada)))).containsExactly(adaLead, adaAtInitech);
    assertThat(ids(ok(listLeads("contactId", grace)))).containsExactly(graceLead);
    assertThat(ids(ok(listLeads("contactId", ada, "accountId", initech)))).containsExactly(adaAtInitech);
    assertThat(ids(ok(listLeads("contactId", bob, "accountId", acme)))).isEmpty();
  }

  @Test
  void theFiltersCombineWithViewSortSearchAndPaging() {
    act(adaLead, "mark-sales-ready");
    act(acmeOnly, "mark-telemarketing-ready");
    assertThat(ids(ok(listLeads("accountId", acme, "view", "sales")))).containsExactly(adaLead);
    assertThat(ids(ok(listLeads("accountId", acme, "view", "telemarketing")))).containsExactly(acmeOnly);
    assertThat(ids(ok(listLeads("accountId", acme, "stage", "inquiry")))).containsExactly(graceLead);
    assertThat(ids(ok(listLeads("accountId", acme, "stage", "telemarketing_acceptance")))).containsExactly(acmeOnly);
    assertThat(ids(ok(listLeads("accountId", acme, "sort", "newest")))).containsExactly(acmeOnly, adaLead, graceLead);
    assertThat(ids(ok(listLeads("accountId", acme, "q", "hopper")))).containsExactly(graceLead);
    assertThat(ids(ok(listLeads("contactId", ada, "q", "initech")))).containsExactly(adaAtInitech);
    assertThat(ids(ok(listLeads("accountId", acme, "sort", "score")))).containsExactlyInAnyOrder(graceLead, adaLead, acmeOnly);

    for (String sort : List.of("created", "newest", "score", "grade", "due")) {
      List<String> paged = new ArrayList<>();
      JsonObject page = ok(listLeads("accountId", acme, "sort", sort, "limit", "1"));
      paged.addAll(ids(page));
      while (page.getString("next") != null) {
        page = ok(listLeads("accountId", acme, "sort", sort, "limit", "1", "after", page.getString("next")));
        paged.addAll(ids(page));
      }
      assertThat(paged).as(sort).containsExactlyInAnyOrder(graceLead, adaLead, acmeOnly);
      assertThat(paged).as(sort).doesNotHaveDuplicates();
    }
  }

  @Test
  void anAccountsContactsAreListedNewestFirstPageByPage() {
    String grace2 = createContact("{\"email\": \"g.brewster@acme.example\", \"firstName\": \"Grace\", \"lastName\": \"Brewster\","
        + " \"accountId\": \"" + acme + "\"}").getString("id");
    assertThat(ids(ok(contacts("accountId", acme)))).containsExactly(grace2, ada, grace);
    assertThat(ids(ok(contacts("accountId", initech)))).containsExactly(bob);
    assertThat(ids(ok(contacts("accountId", acme, "q", "grace")))).containsExactly(grace2, grace);
    assertThat(ids(ok(contacts("accountId", initech, "q", "grace")))).isEmpty();
    JsonObject page1 = ok(contacts("accountId", acme, "limit", "2"));
    JsonObject page2 = ok(contacts("accountId", acme, "limit", "2", "after", page1.getString("next")));
    assertThat(ids(page1)).containsExactly(grace2, ada);
    assertThat(ids(page2)).containsExactly(grace);
    assertThat(page2.getValue("next")).isNull();
    // Each contact still names its open leads.
    assertThat(ok(contacts("accountId", acme)).getJsonArray("items").getJsonObject(1).getJsonArray("leadIds"))
        .containsExactly(adaLead, adaAtInitech);
  }

  @Test
  void aMalformedIdIsA400NamingTheParameterAndNothingIsListed() {
    assertThat(invalidFields(listLeads("accountId", "acme"))).containsExactly("accountId");
    assertThat(invalidFields(listLeads("contactId", "1-2-3-4-5"))).containsExactly("contactId");
    assertThat(invalidFields(listLeads("accountId", ""))).containsExactly("accountId");
    assertThat(invalidFields(listLeads("contactId", grace + "'; DROP TABLE leads; --"))).containsExactly("contactId");
    assertThat(invalidFields(contacts("accountId", "x"))).containsExactly("accountId");
    assertThat(invalidFields(contacts("email", "ada@acme.example", "accountId", acme))).containsExactly("accountId");
    assertThat(ids(ok(listLeads()))).hasSize(5);
  }

  private String lead(String topic, String parents) {
    return created(postLead("{\"topic\": \"" + topic + "\", " + parents + ", \"context\": " + MANUAL_CONTEXT + "}"))
        .getString("id");
  }

  private APIGatewayV2HTTPResponse contacts(String... nameValuePairs) {
    return call(request("GET /v1/contacts", "/v1/contacts").queries(nameValuePairs).build());
  }
}
