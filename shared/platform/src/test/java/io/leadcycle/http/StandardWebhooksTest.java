package io.leadcycle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {

  // Known-answer vector from the Standard Webhooks spec (API.md, "Conventions").
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330L;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final Instant NOW = Instant.ofEpochSecond(TIMESTAMP);

  private static HttpRequest request(String id, String timestamp, String signature, byte[] body) {
    Map<String, String> headers = new HashMap<>();
    headers.put("content-type", "application/json");
    if (id != null) {
      headers.put("webhook-id", id);
    }
    if (timestamp != null) {
      headers.put("webhook-timestamp", timestamp);
    }
    if (signature != null) {
      headers.put("webhook-signature", signature);
    }
    return new HttpRequest("POST", "/v1/forms/f/submissions", Map.of("formId", "f"), Map.of(), headers, body, "req-1");
  }

  private static HttpRequest signed(String signature) {
    return request(ID, Long.toString(TIMESTAMP), signature, BODY);
  }

  private static void assertUnauthorized(String secret, HttpRequest request, Instant now) {
    Problem problem = catchThrowableOfType(Problem.class, () -> StandardWebhooks.verify(secret, request, now));
    assertThat(problem).as("Problem thrown").isNotNull();
    assertThat(problem.status()).isEqualTo(401);
  }

  @Test
  void signMatchesTheKnownAnswer() {
    assertThat(StandardWebhooks.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
  }

  @Test
  void signDependsOnEveryInput() {
    assertThat(StandardWebhooks.sign(SECRET, ID + "x", TIMESTAMP, BODY)).isNotEqualTo(SIGNATURE);
    assertThat(StandardWebhooks.sign(SECRET, ID, TIMESTAMP + 1, BODY)).isNotEqualTo(SIGNATURE);
    assertThat(StandardWebhooks.sign(SECRET, ID, TIMESTAMP, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(SIGNATURE);
    assertThat(StandardWebhooks.sign(StandardWebhooks.newSecret(), ID, TIMESTAMP, BODY)).isNotEqualTo(SIGNATURE);
  }

  @Test
  void theSecretPrefixIsOptionalForSigning() {
    assertThat(StandardWebhooks.sign(SECRET.substring("whsec_".length()), ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
  }

  @Test
  void verifyAcceptsTheKnownAnswer() {
    assertThatCode(() -> StandardWebhooks.verify(SECRET, signed(SIGNATURE), NOW)).doesNotThrowAnyException();
  }

  @Test
  void verifyAcceptsWhenOneOfSeveralSignaturesMatches() {
    String old = StandardWebhooks.sign(StandardWebhooks.newSecret(), ID, TIMESTAMP, BODY);
    String garbage = "v1,bm90IGEgc2lnbmF0dXJl";

    assertThatCode(() -> StandardWebhooks.verify(SECRET, signed(old + " " + SIGNATURE), NOW)).doesNotThrowAnyException();
    assertThatCode(() -> StandardWebhooks.verify(SECRET, signed(SIGNATURE + " " + old), NOW)).doesNotThrowAnyException();
    assertThatCode(() -> StandardWebhooks.verify(SECRET, signed(garbage + "  " + old + " " + SIGNATURE), NOW))
        .doesNotThrowAnyException();
  }

  @Test
  void verifyAcceptsASignatureMadeWithAnyOfTheGivenSecrets() {
    String other = StandardWebhooks.newSecret();
    String byOther = StandardWebhooks.sign(other, ID, TIMESTAMP, BODY);

    assertThatCode(() -> StandardWebhooks.verify(java.util.List.of(other, SECRET), signed(SIGNATURE), NOW))
        .doesNotThrowAnyException();
    assertThatCode(() -> StandardWebhooks.verify(java.util.List.of(SECRET, other), signed(byOther), NOW))
        .doesNotThrowAnyException();
    Problem refused = catchThrowableOfType(Problem.class,
        () -> StandardWebhooks.verify(java.util.List.of(other), signed(SIGNATURE), NOW));
    assertThat(refused.status()).isEqualTo(401);
  }

  @Test
  void verifySkipsMalformedAndOtherVersionCandidates() {
    String v2 = "v2," + SIGNATURE.substring(3);
    assertThatCode(() -> StandardWebhooks.verify(SECRET, signed("nocomma v1,!!!notbase64 " + v2 + " " + SIGNATURE), NOW))
        .doesNotThrowAnyException();
    assertUnauthorized(SECRET, signed(v2), NOW);
    assertUnauthorized(SECRET, signed(SIGNATURE.substring(3)), NOW);
  }

  @Test
  void verifyRejectsAWrongSignature() {
    String wrong = StandardWebhooks.sign(StandardWebhooks.newSecret(), ID, TIMESTAMP, BODY);
    assertUnauthorized(SECRET, signed(wrong), NOW);
    assertUnauthorized(SECRET, signed("v1,"), NOW);
    assertUnauthorized(SECRET, signed("v1,AAAA"), NOW);
  }

  @Test
  void verifyRejectsSeveralSignaturesWhenNoneMatches() {
    String a = StandardWebhooks.sign(StandardWebhooks.newSecret(), ID, TIMESTAMP, BODY);
    String b = StandardWebhooks.sign(StandardWebhooks.newSecret(), ID, TIMESTAMP, BODY);
    assertUnauthorized(SECRET, signed(a + " " + b), NOW);
  }

  @Test
  void verifyRejectsWithADifferentSecret() {
    assertUnauthorized(StandardWebhooks.newSecret(), signed(SIGNATURE), NOW);
  }

  @Test
  void verifyRejectsMissingHeaders() {
    String ts = Long.toString(TIMESTAMP);
    assertUnauthorized(SECRET, request(null, ts, SIGNATURE, BODY), NOW);
    assertUnauthorized(SECRET, request(ID, null, SIGNATURE, BODY), NOW);
    assertUnauthorized(SECRET, request(ID, ts, null, BODY), NOW);
    assertUnauthorized(SECRET, request(null, null, null, BODY), NOW);
  }

  @Test
  void verifyRejectsANonNumericTimestamp() {
    assertUnauthorized(SECRET, request(ID, "2021-02-21T15:02:10Z", SIGNATURE, BODY), NOW);
    assertUnauthorized(SECRET, request(ID, "", SIGNATURE, BODY), NOW);
  }

  @Test
  void verifyRejectsATamperedBody() {
    assertUnauthorized(SECRET, request(ID, Long.toString(TIMESTAMP), SIGNATURE,
        "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8)), NOW);
    assertUnauthorized(SECRET, request(ID, Long.toString(TIMESTAMP), SIGNATURE,
        "{\"test\":2432232314}".getBytes(StandardCharsets.UTF_8)), NOW);
    assertUnauthorized(SECRET, request(ID, Long.toString(TIMESTAMP), SIGNATURE, new byte[0]), NOW);
  }

  @Test
  void verifyRejectsATamperedIdOrTimestamp() {
    assertUnauthorized(SECRET, request("msg_other", Long.toString(TIMESTAMP), SIGNATURE, BODY), NOW);
    assertUnauthorized(SECRET, request(ID, Long.toString(TIMESTAMP + 1), SIGNATURE, BODY), NOW);
  }

  @Test
  void verifyRejectsTimestampsSixMinutesOffEitherWay() {
    assertUnauthorized(SECRET, signed(SIGNATURE), NOW.plus(Duration.ofMinutes(6)));
    assertUnauthorized(SECRET, signed(SIGNATURE), NOW.minus(Duration.ofMinutes(6)));
  }

  @Test
  void verifyRejectsJustOverFiveMinutes() {
    assertUnauthorized(SECRET, signed(SIGNATURE), NOW.plusSeconds(301));
    assertUnauthorized(SECRET, signed(SIGNATURE), NOW.minusSeconds(301));
  }

  @Test
  void verifyAcceptsTimestampsFourMinutesOffEitherWay() {
    assertThatCode(() -> StandardWebhooks.verify(SECRET, signed(SIGNATURE), NOW.plus(Duration.ofMinutes(4))))
        .doesNotThrowAnyException();
    assertThatCode(() -> StandardWebhooks.verify(SECRET, signed(SIGNATURE), NOW.minus(Duration.ofMinutes(4))))
        .doesNotThrowAnyException();
  }

  @Test
  void aSignatureMadeNowVerifiesNow() {
    String secret = StandardWebhooks.newSecret();
    Instant now = Instant.parse("2026-11-27T10:15:00Z");
    byte[] body = "{\"fields\":{\"email\":\"a@b.io\"}}".getBytes(StandardCharsets.UTF_8);
    String signature = StandardWebhooks.sign(secret, "msg_1", now.getEpochSecond(), body);

    assertThatCode(() -> StandardWebhooks.verify(secret,
        request("msg_1", Long.toString(now.getEpochSecond()), signature, body), now)).doesNotThrowAnyException();
  }

  @Test
  void newSecretsAreWhsecPrefixedRandom24ByteKeys() {
    String a = StandardWebhooks.newSecret();
    String b = StandardWebhooks.newSecret();

    assertThat(a).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(24);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void verifyRejectsATimestampWhoseDistanceOverflows() {
    long absurd = TIMESTAMP + Long.MIN_VALUE;
    String signature = StandardWebhooks.sign(SECRET, ID, absurd, BODY);

    assertUnauthorized(SECRET, request(ID, Long.toString(absurd), signature, BODY), NOW);
  }
}
