package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadcycle.domain.InteractionBatch.Item;
import io.leadcycle.domain.InteractionBatch.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InteractionBatchTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final String CONTACT = "3b241101-e2bb-4255-8caf-4136c566a962";

  private static Map<String, Object> item(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("sourceId", "s-1");
    map.put("type", "email_opened");
    map.put("contactId", CONTACT);
    map.put("occurredAt", "2026-11-27T09:00:00Z");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] == REMOVE) {
        map.remove((String) keysAndValues[i]);
      } else {
        map.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return map;
  }

  private static final Object REMOVE = new Object();

  private static InteractionBatch parse(Object... items) {
    return InteractionBatch.parse(Map.of("interactions", List.of(items)), NOW);
  }

  /** The single rejection's reason of a batch of one item. */
  private static String rejected(Map<String, Object> item) {
    InteractionBatch batch = parse(item);
    assertThat(batch.items()).isEmpty();
    assertThat(batch.rejected()).hasSize(1);
    return batch.rejected().get(0).reason();
  }

  @Test
  void aValidItemByContactId() {
    InteractionBatch batch = parse(item("context", Map.of("kind", "campaign", "id", "q4", "name", "Q4 push",
        "url", "https://example.com/q4")));
    assertThat(batch.rejected()).isEmpty();
    Item item = batch.items().get(0);
    assertThat(item.index()).isZero();
    assertThat(item.sourceId()).isEqualTo("s-1");
    assertThat(item.sourceKey()).isEqualTo("api:s-1");
    assertThat(item.type()).isEqualTo(InteractionType.EMAIL_OPENED);
    assertThat(item.contactId()).isEqualTo(UUID.fromString(CONTACT));
    assertThat(item.email()).isNull();
    assertThat(item.occurredAt()).isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
    assertThat(item.context()).isEqualTo(new InteractionBatch.Context("campaign", "q4", "Q4 push",
        "https://example.com/q4"));
  }

  @Test
  void anEmailIsNormalizedAndAnOffsetIsKept() {
    Item item = parse(item("contactId", REMOVE, "email", "  Ada@Example.COM ", "occurredAt",
        "2026-11-27T11:30:00+02:00")).items().get(0);
    assertThat(item.email()).isEqualTo("ada@example.com");
    assertThat(item.contactId()).isNull();
    assertThat(item.occurredAt()).isEqualTo(Instant.parse("2026-11-27T09:30:00Z"));
    assertThat(item.context()).isEqualTo(InteractionBatch.Context.NONE);
  }

  @Test
  void everyInteractionTypeIsTakenByItsWireName() {
    for (InteractionType type : InteractionType.values()) {
      assertThat(parse(item("type", type.wireName())).items().get(0).type()).isEqualTo(type);
    }
    assertThat(rejected(item("type", "EMAIL_OPENED"))).startsWith("type: must be one of: email_opened, email_clicked");
    assertThat(rejected(item("type", REMOVE))).startsWith("type: required, one of: email_opened");
  }

  @Test
  void exactlyOneOfContactIdAndEmail() {
    assertThat(rejected(item("contactId", REMOVE))).contains("contactId: required");
    assertThat(rejected(item("email", "ada@example.com"))).contains("either contactId or email, not both");
    assertThat(rejected(item("contactId", "not-a-uuid"))).isEqualTo("contactId: must be a contact's id (a UUID)");
    assertThat(rejected(item("contactId", "1-1-1-1-1"))).as("lenient UUID forms are refused")
        .isEqualTo("contactId: must be a contact's id (a UUID)");
    assertThat(rejected(item("contactId", 42))).startsWith("contactId: must be");
    assertThat(rejected(item("contactId", REMOVE, "email", "no-at-sign"))).startsWith("email: must be an email address");
    assertThat(rejected(item("contactId", REMOVE, "email", "a@" + "x".repeat(400)))).startsWith("email:");
  }

  @Test
  void sourceIdIsRequiredTextOfAtMost200Characters() {
    assertThat(rejected(item("sourceId", REMOVE))).isEqualTo("sourceId: required");
    assertThat(rejected(item("sourceId", " "))).startsWith("sourceId: must be a non-empty string");
    assertThat(rejected(item("sourceId", 7))).startsWith("sourceId: must be a non-empty string");
    assertThat(rejected(item("sourceId", "x".repeat(201)))).isEqualTo("sourceId: longer than 200 characters");
    assertThat(parse(item("sourceId", "x".repeat(200))).items()).hasSize(1);
  }

  @Test
  void occurredAtNeedsAnOffsetAndAtMostOneDayAhead() {
    assertThat(parse(item("occurredAt", "2026-11-28T10:00:00Z")).items()).as("exactly 1 day ahead").hasSize(1);
    assertThat(rejected(item("occurredAt", "2026-11-28T10:00:01Z"))).startsWith("occurredAt: more than 1 day in the future");
    assertThat(rejected(item("occurredAt", "2026-11-27T09:00:00"))).as("no offset").startsWith("occurredAt: required: an ISO-8601");
    assertThat(rejected(item("occurredAt", "yesterday"))).startsWith("occurredAt:");
    assertThat(rejected(item("occurredAt", "1999-12-31T23:59:59Z"))).startsWith("occurredAt:");
    assertThat(rejected(item("occurredAt", "+999999999-12-31T23:59:59Z"))).startsWith("occurredAt:");
    assertThat(rejected(item("occurredAt", 1764237600))).startsWith("occurredAt:");
    assertThat(rejected(item("occurredAt", REMOVE))).startsWith("occurredAt: required");
  }

  @Test
  void contextIsAnOptionalObjectOfShortTexts() {
    assertThat(rejected(item("context", "campaign"))).startsWith("context: must be an object");
    assertThat(rejected(item("context", Map.of("kind", "x".repeat(201))))).isEqualTo("context.kind: longer than 200 characters");
    assertThat(rejected(item("context", Map.of("url", "x".repeat(2001))))).isEqualTo("context.url: longer than 2000 characters");
    assertThat(parse(item("context", Map.of("url", "https://e.com/" + "x".repeat(1980)))).items()).hasSize(1);
    assertThat(rejected(item("context", Map.of("campaign", "q4")))).startsWith("context.campaign: unknown field");
    assertThat(parse(item("context", Map.of())).items().get(0).context()).isEqualTo(InteractionBatch.Context.NONE);
  }

  @Test
  void everyFaultOfAnItemIsInItsOneReason() {
    String reason = rejected(item("sourceId", REMOVE, "type", "called", "occurredAt", "soon", "extra", 1));
    assertThat(reason).contains("extra: unknown field; allowed: sourceId, type, contactId, email, occurredAt, context")
        .contains("sourceId: required").contains("type: must be one of").contains("occurredAt:");
  }

  @Test
  void badItemsAreRejectedAloneByPositionWithTheirSourceId() {
    InteractionBatch batch = parse(item("sourceId", "a"), "not an object", item("sourceId", "b", "type", "x"),
        item("sourceId", "c"), List.of(), item("sourceId", 5, "type", "x"));
    assertThat(batch.items()).extracting(Item::index).containsExactly(0, 3);
    assertThat(batch.rejected()).extracting(Rejection::index).containsExactly(1, 2, 4, 5);
    assertThat(batch.rejected()).extracting(Rejection::sourceId).containsExactly(null, "b", null, null);
    assertThat(batch.rejected().get(0).reason()).startsWith("must be an object");
  }

  @Test
  void theBatchAsAWholeMustBeAListOf1To1000() {
    assertThat(batchErrors(Map.of())).containsExactly("interactions");
    assertThat(batchErrors(Map.of("interactions", "x"))).containsExactly("interactions");
    assertThat(batchErrors(Map.of("interactions", Map.of()))).containsExactly("interactions");
    assertThat(batchErrors(Map.of("interactions", List.of()))).containsExactly("interactions");
    assertThat(batchErrors(Map.of("interactions", Collections.nCopies(1001, item())))).containsExactly("interactions");
    assertThat(batchErrors(Map.of("interactions", List.of(item()), "dryRun", true))).containsExactly("dryRun");
    assertThat(InteractionBatch.parse(Map.of("interactions", Collections.nCopies(1000, item())), NOW).items())
        .hasSize(1000);
  }

  @Test
  void theSizeMessageSaysWhatToSend() {
    InvalidInput invalid = catchThrowableOfType(InvalidInput.class,
        () -> InteractionBatch.parse(Map.of("interactions", Collections.nCopies(1001, item())), NOW));
    assertThat(invalid.errors().get(0).message()).startsWith("has 1001 items; send a list of 1 to 1000 interactions")
        .endsWith("(split larger batches)");
  }

  private static List<String> batchErrors(Map<String, ?> body) {
    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, () -> InteractionBatch.parse(body, NOW));
    assertThat(invalid).as("InvalidInput for %s", body.keySet()).isNotNull();
    return new ArrayList<>(invalid.errors().stream().map(FieldError::field).toList());
  }
}
