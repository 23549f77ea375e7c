package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/accounts} and {@code GET /v1/accounts/{accountId}} through the handler. */
class AccountsHandlerTest extends LeadManagementHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void postCreatesAnAccountThatGetShowsTheSame() {
    APIGatewayV2HTTPResponse response = postAccount("""
        {"name": "Acme GmbH", "domain": "acme.example", "industry": "Manufacturing", "employeeCount": 250,
         "annualRevenue": 1250000.505, "country": "DE"}""");

    JsonObject account = created(response);
    assertThat(UUID.fromString(account.getString("id"))).isNotNull();
    assertThat(account.getString("name")).isEqualTo("Acme GmbH");
    assertThat(account.getString("domain")).isEqualTo("acme.example");
    assertThat(account.getString("industry")).isEqualTo("Manufacturing");
    assertThat(account.getInteger("employeeCount")).isEqualTo(250);
    assertThat(new BigDecimal(account.getValue("annualRevenue").toString())).isEqualByComparingTo("1250000.51");
    assertThat(account.getString("country")).isEqualTo("DE");
    assertThat(account.getString("createdAt")).isNotBlank();
    assertThat(row("SELECT name, employee_count FROM accounts WHERE id = $1", uuid(account.getString("id")))
        .getInteger("employee_count")).isEqualTo(250);

    assertThat(ok(getAccount(account.getString("id")))).isEqualTo(account);
  }

  @Test
  void onlyANameIsRequired() {
    JsonObject account = created(postAccount("{\"name\": \"Tiny Ltd\"}"));

    assertThat(account.getString("name")).isEqualTo("Tiny Ltd");
    assertThat(account.getValue("employeeCount")).isNull();
    assertThat(account.getValue("annualRevenue")).isNull();
  }

  @Test
  void anEmployeeCountThatIsNotAWholeNumberFromZeroIs400NamingIt() {
    for (String employees : new String[] {"-1", "2.5", "\"many\"", "true", "3000000000"}) {
      APIGatewayV2HTTPResponse response = postAccount("{\"name\": \"Acme\", \"employeeCount\": " + employees + "}");

      assertThat(invalidFields(response)).as("employeeCount %s", employees).containsExactly("employeeCount");
    }
    assertThat(count("SELECT count(*) FROM accounts")).isZero();
  }

  @Test
  void aMissingNameAndUnknownFieldsAre400NamingEach() {
    APIGatewayV2HTTPResponse response = postAccount("{\"domain\": \"acme.example\", \"vatId\": \"DE123\"}");

    assertThat(invalidFields(response)).containsExactlyInAnyOrder("name", "vatId");
    assertThat(count("SELECT count(*) FROM accounts")).isZero();
  }

  @Test
  void anUnknownOrMalformedAccountIdIs404() {
    JsonObject problem = assertProblem(getAccount(UUID.randomUUID().toString()), 404);
    assertThat(problem.getString("type")).isEqualTo("urn:leadcycle:problem:not-found");

    assertProblem(getAccount("not-a-uuid"), 404);
  }
}
