package io.leadcycle.functions.linkedinsync;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.linkedin.LinkedInSignatures;
import io.leadcycle.linkedin.LinkedInApi;
import io.leadcycle.linkedin.LinkedInSettings;
import io.leadcycle.testing.HandlerCalls;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Both LinkedIn handlers on the test database, talking to a fake LinkedIn on loopback. */
public abstract class LinkedInHarness extends HandlerCalls {

  public static final String CLIENT_SECRET = "WPL_AP1.client-secret-for-tests";
  static final LinkedInApi.Backoff FAST = new LinkedInApi.Backoff(Duration.ofMillis(5), Duration.ofMillis(50));
  public static final String ENCODED_FORM_URN = URLEncoder.encode(FakeLinkedIn.FORM_URN, StandardCharsets.UTF_8);

  /** The example form's questions mapped by predefined field and by question id. */
  public static final String MAPPING = """
      {"name": "Spring webinar on LinkedIn",
       "fields": {"FIRST_NAME": "firstName", "LAST_NAME": "lastName", "307234246": "email",
                  "JOB_TITLE": "jobTitle", "707234246": "attributes.favouriteColour"}}""";

  FakeLinkedIn linkedIn;
  LinkedInWebhookHandler handler;
  LinkedInPollHandler poller;

  @BeforeEach
  void startFakeLinkedIn() {
    TestDatabase.reset();
    linkedIn = new FakeLinkedIn();
    handler = webhookHandler(env());
    poller = pollHandler(env());
  }

  @AfterEach
  void stopFakeLinkedIn() {
    linkedIn.close();
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("LINKEDIN_API_BASE_URL", linkedIn.baseUrl());
    env.put("LINKEDIN_CLIENT_SECRET", CLIENT_SECRET);
    env.put("LINKEDIN_ACCESS_TOKEN", FakeLinkedIn.TOKEN);
    env.put("LINKEDIN_OWNER", FakeLinkedIn.OWNER);
    return env;
  }

  static LinkedInSettings settings(Map<String, String> env) {
    return LinkedInSettings.fromEnvironment(env, id -> {
      throw new AssertionError("no Secrets Manager in these tests");
    }, Clock.systemUTC());
  }

  public static LinkedInWebhookHandler webhookHandler(Map<String, String> env) {
    return new LinkedInWebhookHandler(TestDatabase::database, Clock.systemUTC(), settings(env), FAST);
  }

  static LinkedInPollHandler pollHandler(Map<String, String> env) {
    return new LinkedInPollHandler(TestDatabase::database, Clock.systemUTC(), settings(env), Duration.ofSeconds(60),
        FAST);
  }

  // ---- calls ----

  APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
    return answer(handler, event);
  }

  APIGatewayV2HTTPResponse putMapping(String json) {
    return call(HttpEvents.management("PUT /v1/linkedin/forms/{formUrn}", "/v1/linkedin/forms/" + ENCODED_FORM_URN)
        .pathParameter("formUrn", FakeLinkedIn.FORM_URN).json(json).build());
  }

  /** Asserts that a mapping was saved (201 created, 200 replaced) and returns it. */
  static JsonObject saved(APIGatewayV2HTTPResponse response) {
    org.assertj.core.api.Assertions.assertThat(response.getStatusCode()).as(response.getBody()).isIn(200, 201);
    return body(response);
  }

  /** A notification signed with the client secret, as LinkedIn sends it. */
  APIGatewayV2HTTPResponse notify(String body) {
    return notify(handler, body);
  }

  /** A signed notification to {@code to}: another execution environment of the webhook function. */
  public static APIGatewayV2HTTPResponse notify(LinkedInWebhookHandler to, String body) {
    return answer(to, HttpEvents.request("POST /v1/linkedin/webhook", "/v1/linkedin/webhook").json(body)
        .header("x-li-signature", LinkedInSignatures.sign(CLIENT_SECRET, body.getBytes(StandardCharsets.UTF_8)))
        .build());
  }

  JsonObject status() {
    return ok(call(HttpEvents.management("GET /v1/linkedin/sync-status", "/v1/linkedin/sync-status").build()));
  }

  Map<String, Object> poll() {
    ScheduledEvent event = LambdaEvents.read(ScheduledEvent.class, LambdaEvents.resource("events/scheduled-event.json"));
    return poller.handleRequest(event, null);
  }
}
