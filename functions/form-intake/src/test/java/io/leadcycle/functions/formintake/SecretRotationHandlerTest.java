package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/forms/{formId}/rotate-secret}: a new signing secret shown once, the replaced one still
 * accepted for the overlap so senders switch without losing submissions, then refused.
 */
class SecretRotationHandlerTest extends FormIntakeHarness {

  /** The clock the handler reads, moved by the test (signatures are made at the same moment). */
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };
  private final FormIntakeHandler driven = new FormIntakeHandler(TestDatabase::database, clock);

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private APIGatewayV2HTTPResponse callDriven(APIGatewayV2HTTPEvent event) {
    return answer(driven, event);
  }

  private APIGatewayV2HTTPResponse rotate(String formId, String... roles) {
    HttpEvents event = HttpEvents.management("POST /v1/forms/{formId}/rotate-secret", "/v1/forms/" + formId
        + "/rotate-secret").pathParameter("formId", formId);
    if (roles.length > 0) {
      event.roles(roles);
    }
    return callDriven(event.build());
  }

  /** A submission signed with {@code secret} at the handler's present. */
  private APIGatewayV2HTTPResponse submitSigned(String formId, String secret, String email) {
    return callDriven(submission(formId).json("{\"fields\":{\"email\":\"" + email + "\"}}")
        .signed(secret, "msg_" + UUID.randomUUID(), now.get()).build());
  }

  private static String storedSecret(String formId) {
    return row("SELECT signing_secret FROM forms WHERE id = $1", formId).getString("signing_secret");
  }

  @Test
  void theNewSecretSignsAndTheOldOneKeepsSigningUntilTheOverlapEnds() {
    String original = createPage("page");

    APIGatewayV2HTTPResponse rotated = rotate("page");

    assertThat(rotated.getStatusCode()).as(rotated.getBody()).isEqualTo(200);
    JsonObject answer = body(rotated);
    assertThat(answer.fieldNames()).containsExactlyInAnyOrder("secret", "previousSecretExpiresAt");
    String fresh = answer.getString("secret");
    assertThat(fresh).startsWith("whsec_").isNotEqualTo(original);
    Instant expires = Instant.parse(answer.getString("previousSecretExpiresAt"));
    assertThat(expires).isEqualTo(now.get().plus(Duration.ofHours(24)).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(storedSecret("page")).isEqualTo(fresh);

    assertThat(submitSigned("page", fresh, "new@example.com").getStatusCode()).isEqualTo(201);
    assertThat(submitSigned("page", original, "old@example.com").getStatusCode()).isEqualTo(201);

    now.set(expires.minusSeconds(1));
    assertThat(submitSigned("page", original, "late@example.com").getStatusCode()).isEqualTo(201);

    now.set(expires);
    Map<String, Long> before = tableCounts();
    JsonObject refused = assertProblem(submitSigned("page", original, "too-late@example.com"), 401);
    assertThat(refused.getString("detail")).contains("signing secret");
    assertThat(tableCounts()).isEqualTo(before);
    assertThat(submitSigned("page", fresh, "still@example.com").getStatusCode()).isEqualTo(201);
  }

  @Test
  void aSecondRotationWithinTheOverlapReplacesThePreviousSecret() {
    String first = createPage("page");
    String second = body(rotate("page")).getString("secret");
    now.set(now.get().plus(Duration.ofHours(1)));

    JsonObject again = body(rotate("page"));
    String third = again.getString("secret");

    assertThat(third).isNotIn(first, second);
    assertThat(Instant.parse(again.getString("previousSecretExpiresAt"))).isEqualTo(now.get().plus(Duration.ofHours(24)).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(submitSigned("page", third, "third@example.com").getStatusCode()).isEqualTo(201);
    assertThat(submitSigned("page", second, "second@example.com").getStatusCode()).isEqualTo(201);
    assertProblem(submitSigned("page", first, "first@example.com"), 401);
  }

  @Test
  void aFormWarmInTheCacheTakesTheRotationAtOnce() {
    String original = createPage("page");
    assertThat(submitSigned("page", original, "warm@example.com").getStatusCode()).isEqualTo(201);

    String fresh = body(rotate("page")).getString("secret");

    assertThat(submitSigned("page", fresh, "fresh@example.com").getStatusCode()).isEqualTo(201);
  }

  @Test
  void concurrentRotationsEachReplaceTheSecretTheOneBeforeSet() throws Exception {
    String original = createPage("page");
    List<APIGatewayV2HTTPEvent> events = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      events.add(HttpEvents.management("POST /v1/forms/{formId}/rotate-secret", "/v1/forms/page/rotate-secret")
          .pathParameter("formId", "page").build());
    }

    List<APIGatewayV2HTTPResponse> answers = callAllAtOnce(events);

    List<String> secrets = answers.stream().map(a -> {
      assertThat(a.getStatusCode()).as(a.getBody()).isEqualTo(200);
      return body(a).getString("secret");
    }).toList();
    assertThat(secrets).doesNotHaveDuplicates().doesNotContain(original);
    // The rotations queued on the row: the one that went last is current, and its previous secret is
    // the secret another rotation handed out — never the original, never lost.
    var row = row("SELECT signing_secret, previous_signing_secret FROM forms WHERE id = 'page'");
    assertThat(secrets).contains(row.getString("signing_secret"), row.getString("previous_signing_secret"));
    assertThat(row.getString("previous_signing_secret")).isNotEqualTo(row.getString("signing_secret"));
  }

  @Test
  void anUnknownFormIs404AndTelemarketingIsRefused() {
    String secret = createPage("page");

    assertThat(assertProblem(rotate("no-such-form"), 404).getString("detail")).contains("no-such-form");
    assertProblem(rotate("page", "telemarketing"), 403);
    assertThat(rotate("page", "marketing").getStatusCode()).isEqualTo(200);

    assertThat(count("SELECT count(*) FROM forms WHERE id = 'no-such-form'")).isZero();
    assertThat(storedSecret("page")).isNotEqualTo(secret);
  }

  @Test
  void theSecretAppearsOnlyInTheRotationAnswerNeverInTheFormOrTheLogs() {
    createPage("page");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    String fresh;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      fresh = body(rotate("page")).getString("secret");
      submitSigned("page", fresh, "ada@example.com");
      assertProblem(submitSigned("page", "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]),
          "eve@example.com"), 401);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    String log = out.toString(StandardCharsets.UTF_8);
    originalOut.print(log);

    assertThat(log).doesNotContain(fresh).doesNotContain(fresh.substring("whsec_".length()));
    String view = getForm("page").getBody();
    assertThat(view).doesNotContain(fresh).doesNotContain("ecret");
    assertThat(call(HttpEvents.management("GET /v1/forms", "/v1/forms").build()).getBody()).doesNotContain(fresh);
  }
}
