package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What work by hand counts: contacts and leads created, leads marked sales-ready (once). */
class LeadMetricsHandlerTest extends LeadManagementHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private Map<String, Long> metrics(APIGatewayV2HTTPEvent event, int status) {
    InvocationLog.Captured<APIGatewayV2HTTPResponse> captured = InvocationLog.capture(() -> call(event));
    assertThat(captured.result().getStatusCode()).as(captured.result().getBody()).isEqualTo(status);
    return captured.metrics();
  }

  @Test
  void aContactAndALeadCreatedByHandAreCounted() {
    Map<String, Long> contact = metrics(request("POST /v1/contacts", "/v1/contacts")
        .json("{\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}").build(), 201);
    Map<String, Long> lead = metrics(request("POST /v1/leads", "/v1/leads")
        .json("{\"topic\": \"Demo\", \"context\": " + MANUAL_CONTEXT + "}").build(), 201);
    Map<String, Long> duplicate = metrics(request("POST /v1/contacts", "/v1/contacts")
        .json("{\"email\": \"ADA@example.com\"}").build(), 409);

    assertThat(contact).containsExactly(Map.entry("ContactsCreated", 1L));
    assertThat(lead).containsExactly(Map.entry("LeadsCreated", 1L));
    assertThat(duplicate).isEmpty();
  }

  @Test
  void markingALeadSalesReadyCountsOnceAndOtherActionsDoNot() {
    String leadId = createLead("Demo").getString("id");

    Map<String, Long> marked = metrics(processEvent(leadId).json("{\"action\": \"mark-sales-ready\"}").build(), 200);
    Map<String, Long> again = metrics(processEvent(leadId).json("{\"action\": \"mark-sales-ready\"}").build(), 409);
    Map<String, Long> accepted = metrics(processEvent(leadId)
        .json("{\"action\": \"accept-sales\", \"ownerId\": \"sam\"}").build(), 200);

    assertThat(marked).containsExactly(Map.entry("LeadsBecameSalesReady", 1L));
    assertThat(again).as("already sales-ready: refused").isEmpty();
    assertThat(accepted).isEmpty();
  }
}
