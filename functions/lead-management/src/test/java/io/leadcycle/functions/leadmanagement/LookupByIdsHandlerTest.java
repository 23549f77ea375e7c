package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/contacts?ids=} and {@code GET /v1/accounts?ids=} through the handler, on the real database: the
 * records a page of leads refers to, in one request each (the workbench's queue).
 */
class LookupByIdsHandlerTest extends LeadManagementHarness {

  private String acme;
  private String initech;
  private String grace;
  private String ada;

  @BeforeEach
  void people() {
    TestDatabase.reset();
    acme = createAccount("{\"name\": \"Acme GmbH\", \"domain\": \"acme.example\"}").getString("id");
    initech = createAccount("{\"name\": \"Initech\"}").getString("id");
    grace = createContact("""
        {"email": "grace@example.com", "firstName": "Grace", "lastName": "Hopper", "accountId": "%s"}"""
        .formatted(acme)).getString("id");
    ada = createContact("{\"email\": \"ada@analytical.example\", \"firstName\": \"Ada\"}").getString("id");
  }

  @Test
  void contactsAreAnsweredAsGetShowsThemInTheOrderAskedUnknownIdsLeftOut() {
    String graceLead = created(postLead("{\"topic\": \"Call\", \"contactId\": \"" + grace + "\", \"context\": "
        + MANUAL_CONTEXT + "}")).getString("id");
    String nobody = UUID.randomUUID().toString();

    JsonObject page = ok(contacts("ids", ada + "," + nobody + "," + grace + "," + ada));

    assertThat(ids(page)).containsExactly(ada, grace);
    assertThat(page.containsKey("next")).isTrue();
    assertThat(page.getValue("next")).isNull();
    // Each item is the contact exactly as GET /v1/contacts/{id} shows it, open leads included.
    // As GET shows them, but for the consent history, which only GET of one contact carries.
    JsonObject adaAlone = ok(getContact(ada));
    adaAlone.remove("consentHistory");
    JsonObject graceAlone = ok(getContact(grace));
    graceAlone.remove("consentHistory");
    assertThat(page.getJsonArray("items").getJsonObject(0)).isEqualTo(adaAlone);
    assertThat(page.getJsonArray("items").getJsonObject(1)).isEqualTo(graceAlone);
    assertThat(page.getJsonArray("items").getJsonObject(1).getJsonArray("leadIds").getList())
        .containsExactly(graceLead);
    assertThat(page.getJsonArray("items").getJsonObject(1).getString("accountId")).isEqualTo(acme);
    assertThat(ids(ok(contacts("ids", nobody)))).isEmpty();
  }

  @Test
  void accountsAreAnsweredAsGetShowsThemInTheOrderAskedUnknownIdsLeftOut() {
    JsonObject page = ok(accounts("ids", initech + "," + UUID.randomUUID() + "," + acme));

    assertThat(ids(page)).containsExactly(initech, acme);
    assertThat(page.getValue("next")).isNull();
    assertThat(page.getJsonArray("items").getJsonObject(1)).isEqualTo(ok(getAccount(acme)));
    // A contact's id is no account's.
    assertThat(ids(ok(accounts("ids", grace)))).isEmpty();
  }

  @Test
  void aFullPageOfTwoHundredIdsIsOneAnswerBeyondTheDefaultPageSize() {
    List<String> asked = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      asked.add(createContact("{\"email\": \"c" + i + "@example.com\"}").getString("id"));
    }
    IntStream.range(0, 80).forEach(i -> asked.add(UUID.randomUUID().toString()));

    JsonObject page = ok(contacts("ids", String.join(",", asked)));

    assertThat(ids(page)).isEqualTo(asked.subList(0, 120));
  }

  @Test
  void badIdsAre400NamingIdsAndTheOtherParametersCannotBeCombined() {
    String tooMany = IntStream.range(0, 201).mapToObj(i -> UUID.randomUUID().toString())
        .collect(Collectors.joining(","));
    for (String bad : new String[] {"", "not-a-uuid", grace + ",", grace + ",,", "1-2-3-4-5", tooMany,
        grace.toUpperCase() + ";" + ada}) {
      assertThat(invalidFields(contacts("ids", bad))).as("contacts ids=%s", bad).containsExactly("ids");
      assertThat(invalidFields(accounts("ids", bad))).as("accounts ids=%s", bad).containsExactly("ids");
    }
    for (String other : new String[] {"email", "q", "after", "accountId", "limit"}) {
      String value = switch (other) {
        case "email" -> "grace@example.com";
        case "q" -> "grace";
        case "accountId" -> acme;
        case "limit" -> "10";
        default -> ok(contacts("limit", "1")).getString("next");
      };
      assertThat(invalidFields(contacts("ids", grace, other, value))).as("contacts with %s", other)
          .containsExactly(other);
    }
    for (String other : new String[] {"q", "after", "limit"}) {
      String value = switch (other) {
        case "q" -> "acme";
        case "limit" -> "10";
        default -> ok(accounts("limit", "1")).getString("next");
      };
      assertThat(invalidFields(accounts("ids", acme, other, value))).as("accounts with %s", other)
          .containsExactly(other);
    }
    // Without ids the lists are as before.
    assertThat(ids(ok(contacts()))).containsExactly(ada, grace);
    assertThat(ids(ok(accounts()))).containsExactly(initech, acme);
  }

  private APIGatewayV2HTTPResponse contacts(String... nameValuePairs) {
    return call(request("GET /v1/contacts", "/v1/contacts").queries(nameValuePairs).build());
  }

  private APIGatewayV2HTTPResponse accounts(String... nameValuePairs) {
    return call(request("GET /v1/accounts", "/v1/accounts").queries(nameValuePairs).build());
  }
}
