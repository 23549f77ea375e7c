package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TileEventTest {

  private static final Instant NOW = Instant.parse("2026-11-27T09:00:00Z");
  private static final UUID CONTACT = UUID.fromString("6f1c1e0e-3b7a-4d59-9a51-2f0d8a1c9b11");

  private static JsonObject valid() {
    return new JsonObject("""
        {"journeyId": " onboarding-2026 ", "tileId": "tile-7", "contactId": "6f1c1e0e-3b7a-4d59-9a51-2f0d8a1c9b11",
         "createFor": "account", "lead": {"topic": "Webinar follow-up", "context": {"segment": "trial", "wave": 2,
         "vip": true, "note": null}}, "occurredAt": "2026-11-27T10:59:30+02:00", "journeyName": "ignored"}""");
  }

  /** As the handler reads a message: decoded from its text, so nested objects are maps. */
  private static TileEvent parse(JsonObject body) {
    return TileEvent.parse(new JsonObject(body.encode()).getMap(), NOW);
  }

  private static InvalidInput refused(JsonObject body) {
    return catchThrowableOfType(InvalidInput.class, () -> parse(body));
  }

  @Test
  void readsATileEventAndIgnoresMembersItDoesNotKnow() {
    TileEvent event = parse(valid());

    assertThat(event.journeyId()).isEqualTo("onboarding-2026");
    assertThat(event.tileId()).isEqualTo("tile-7");
    assertThat(event.contactId()).isEqualTo(CONTACT);
    assertThat(event.createFor()).isEqualTo(TileEvent.CreateFor.ACCOUNT);
    assertThat(event.topic()).isEqualTo("Webinar follow-up");
    assertThat(event.details()).containsExactly(Map.entry("segment", "trial"), Map.entry("wave", 2),
        Map.entry("vip", true), new java.util.AbstractMap.SimpleEntry<>("note", null));
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-27T08:59:30Z"));
  }

  @Test
  void contextIsOptional() {
    JsonObject body = valid();
    body.getJsonObject("lead").remove("context");
    assertThat(parse(body).details()).isEmpty();
  }

  @Test
  void everyFaultIsNamedAtOnce() {
    InvalidInput refused = refused(new JsonObject().put("lead", "x"));
    assertThat(refused.errors()).extracting(FieldError::field)
        .containsExactlyInAnyOrder("journeyId", "tileId", "contactId", "createFor", "lead", "occurredAt");
  }

  @Test
  void wrongValuesAreRefused() {
    assertThat(refused(valid().put("contactId", "42")).errors()).extracting(FieldError::field).containsExactly("contactId");
    assertThat(refused(valid().put("createFor", "Contact")).getMessage()).contains("contact, account");
    assertThat(refused(valid().put("tileId", "x".repeat(201))).errors()).extracting(FieldError::field)
        .containsExactly("tileId");
    assertThat(refused(valid().put("occurredAt", "yesterday")).errors()).extracting(FieldError::field)
        .containsExactly("occurredAt");
    assertThat(refused(valid().put("occurredAt", "2026-11-29T09:00:00Z")).getMessage()).contains("a day ahead");
    JsonObject noTopic = valid();
    noTopic.getJsonObject("lead").put("topic", " ");
    assertThat(refused(noTopic).errors()).extracting(FieldError::field).containsExactly("lead.topic");
  }

  @Test
  void theContextMustBeAFlatSmallObject() {
    JsonObject nested = valid();
    nested.getJsonObject("lead").put("context", new JsonObject().put("deep", new JsonObject()));
    assertThat(refused(nested).errors()).extracting(FieldError::field).containsExactly("lead.context.deep");

    JsonObject big = valid();
    JsonObject many = new JsonObject();
    for (int i = 0; i <= TileEvent.MAX_DETAILS; i++) {
      many.put("k" + i, i);
    }
    big.getJsonObject("lead").put("context", many);
    assertThat(refused(big).errors()).extracting(FieldError::field).containsExactly("lead.context");

    JsonObject list = valid();
    list.getJsonObject("lead").put("context", new io.vertx.core.json.JsonArray().add(1));
    assertThat(refused(list).errors()).extracting(FieldError::field).containsExactly("lead.context");
  }

  @Test
  void theTilesProcessIsOptionalAndShortText() {
    assertThat(parse(valid()).processId()).isEqualTo("default");
    assertThat(parse(valid().put("processId", "partner-deals")).processId()).isEqualTo("partner-deals");
    assertThat(refused(valid().put("processId", 12)).errors()).extracting(FieldError::field)
        .containsExactly("processId");
    assertThat(refused(valid().put("processId", "p".repeat(201))).errors()).extracting(FieldError::field)
        .containsExactly("processId");
  }
}
