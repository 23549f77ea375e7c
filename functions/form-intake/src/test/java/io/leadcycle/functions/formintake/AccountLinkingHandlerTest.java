package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Account linking on intake: by email domain or company name, created when allowed, never moved. */
class AccountLinkingHandlerTest extends FormIntakeHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private static String account(String name, String domain) {
    return row("INSERT INTO accounts (name, domain, name_norm, domain_norm) VALUES ($1, $2, lower($1), $3)"
        + " RETURNING id::text AS id", name, domain, domain == null ? null : domain.toLowerCase()).getString("id");
  }

  private String form(String id, String settings) {
    return createForm(id, "{\"name\":\"Page\",\"kind\":\"marketing_page\"," + settings + "}");
  }

  @Test
  void byDomainTheContactAndItsNewLeadJoinTheAccountOfTheEmailsDomain() {
    String acme = account("ACME Corp", "acme.com");
    String secret = form("page", "\"accountMatching\":\"domain\"");

    JsonObject result = body(submit("page", secret, "{\"fields\":{\"email\":\"Ada@ACME.com\"}}"));

    assertThat(contactRow(contactId(result)).getString("account_id")).isEqualTo(acme);
    assertThat(leadRow(leadId(result)).getString("account_id")).isEqualTo(acme);
    assertThat(count("SELECT count(*) FROM accounts")).isEqualTo(1);
  }

  @Test
  void freeMailDomainsNeverMatchAndNothingIsCreatedForThem() {
    account("Google", "gmail.com");
    String secret = form("page", "\"accountMatching\":\"domain\",\"createAccounts\":true");

    JsonObject result = body(submit("page", secret, "{\"fields\":{\"email\":\"ada@gmail.com\",\"companyName\":\"ACME\"}}"));

    assertThat(contactRow(contactId(result)).getValue("account_id")).isNull();
    assertThat(leadRow(leadId(result)).getValue("account_id")).isNull();
    assertThat(count("SELECT count(*) FROM accounts")).isEqualTo(1);
  }

  @Test
  void byCompanyNameTheNormalizedNameMatches() {
    String acme = account("ACME Corp", null);
    String secret = form("page", "\"accountMatching\":\"company_name\"");

    JsonObject result = body(submit("page", secret,
        "{\"fields\":{\"email\":\"ada@example.com\",\"companyName\":\"  acme   CORP \"}}"));

    assertThat(contactRow(contactId(result)).getString("account_id")).isEqualTo(acme);
  }

  @Test
  void withoutCreateAccountsAnUnknownCompanyGetsNoAccount() {
    String secret = form("page", "\"accountMatching\":\"domain\"");

    JsonObject result = body(submit("page", secret, "{\"fields\":{\"email\":\"ada@newco.io\"}}"));

    assertThat(contactRow(contactId(result)).getValue("account_id")).isNull();
    assertThat(count("SELECT count(*) FROM accounts")).isZero();
  }

  @Test
  void createAccountsMakesTheAccountNamedAfterTheCompanyWithTheDomain() {
    String secret = form("page", "\"accountMatching\":\"domain\",\"createAccounts\":true");

    JsonObject result = body(submit("page", secret,
        "{\"fields\":{\"email\":\"ada@www.NewCo.io\",\"companyName\":\"NewCo GmbH\"}}"));
    JsonObject colleague = body(submit("page", secret, "{\"fields\":{\"email\":\"grace@newco.io\"}}"));

    Row account = row("SELECT id::text AS id, name, domain FROM accounts");
    assertThat(account.getString("name")).isEqualTo("NewCo GmbH");
    assertThat(account.getString("domain")).isEqualTo("newco.io");
    assertThat(contactRow(contactId(result)).getString("account_id")).isEqualTo(account.getString("id"));
    assertThat(contactRow(contactId(colleague)).getString("account_id")).isEqualTo(account.getString("id"));
    assertThat(leadRow(leadId(colleague)).getString("account_id")).isEqualTo(account.getString("id"));
  }

  @Test
  void aContactIsNeverMovedToAnotherAccountButOneWithoutGetsTheLinkedAccount() {
    String acme = account("ACME", "acme.com");
    String other = account("Other", "other.com");
    String plain = createPage("plain");
    String linking = form("linking", "\"accountMatching\":\"domain\"");
    JsonObject withoutAccount = body(submit("plain", plain, "{\"fields\":{\"email\":\"ada@acme.com\"}}"));
    JsonObject withAccount = body(submit("plain", plain, "{\"fields\":{\"email\":\"grace@acme.com\"}}"));
    query("UPDATE contacts SET account_id = $1 WHERE id = $2", UUID.fromString(other),
        UUID.fromString(contactId(withAccount)));

    JsonObject linked = body(submit("linking", linking, "{\"fields\":{\"email\":\"ada@acme.com\"}}"));
    JsonObject kept = body(submit("linking", linking, "{\"fields\":{\"email\":\"grace@acme.com\"}}"));

    assertThat(linked.getJsonObject("contact").getBoolean("updated")).isTrue();
    assertThat(contactRow(contactId(withoutAccount)).getString("account_id")).isEqualTo(acme);
    assertThat(contactRow(contactId(withAccount)).getString("account_id")).isEqualTo(other);
    // The new lead takes the contact's own account, not the one the domain would find.
    assertThat(leadRow(leadId(kept)).getString("account_id")).isEqualTo(other);
  }

  @Test
  void onlyLeadsLinksTheAccountToTheLeadButNeverUpdatesTheContact() {
    String acme = account("ACME", "acme.com");
    String plain = createPage("plain");
    String leadsOnly = form("webinar", "\"accountMatching\":\"domain\",\"updateMode\":\"only_leads\"");
    JsonObject known = body(submit("plain", plain, "{\"fields\":{\"email\":\"ada@acme.com\"}}"));

    JsonObject matched = body(submit("webinar", leadsOnly, "{\"fields\":{\"email\":\"ada@acme.com\"}}"));
    JsonObject unknown = body(submit("webinar", leadsOnly, "{\"fields\":{\"email\":\"grace@acme.com\"}}"));

    assertThat(contactRow(contactId(known)).getValue("account_id")).isNull();
    assertThat(leadRow(leadId(matched)).getString("account_id")).isEqualTo(acme);
    // A contactless lead is still linked to the account: account-based scoring can score it.
    assertThat(leadRow(leadId(unknown)).getValue("contact_id")).isNull();
    assertThat(leadRow(leadId(unknown)).getString("account_id")).isEqualTo(acme);
  }

  @Test
  void sixtyFourConcurrentFirstSubmissionsFromOneNewCompanyMakeOneAccount() throws Exception {
    String secret = form("page", "\"accountMatching\":\"domain\",\"createAccounts\":true");
    List<APIGatewayV2HTTPEvent> events = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      events.add(submission("page").json("{\"fields\":{\"email\":\"person" + i + "@" + (i % 2 == 0 ? "NewCo.io" : "newco.io")
          + "\",\"companyName\":\"NewCo\"}}").signed(secret).build());
    }

    List<APIGatewayV2HTTPResponse> responses = callAllAtOnce(events);

    assertThat(responses).extracting(APIGatewayV2HTTPResponse::getStatusCode).containsOnly(201);
    assertThat(count("SELECT count(*) FROM accounts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(64);
    assertThat(count("SELECT count(DISTINCT account_id) FROM contacts WHERE account_id IS NOT NULL")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM contacts WHERE account_id IS NULL")).isZero();
    assertThat(count("SELECT count(*) FROM leads WHERE account_id IS NULL")).isZero();
  }
}
