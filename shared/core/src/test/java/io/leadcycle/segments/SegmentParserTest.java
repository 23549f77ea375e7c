package io.leadcycle.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.segments.SegmentDefinition.Condition;
import io.leadcycle.segments.SegmentDefinition.Group;
import io.leadcycle.segments.SegmentDefinition.Related;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading segments: what a valid definition becomes, and one error per fault, each at its path. */
class SegmentParserTest {

  @Test
  void readsADynamicSegmentWithEveryKindOfItem() {
    SegmentInput input = SegmentParser.segment(body("""
        {"name": "Sales-ready CTOs", "kind": "dynamic", "requiresConsent": "marketing", "definition": {"all": [
          {"field": "contact.jobTitle", "op": "contains", "value": "CTO"},
          {"field": "account.employeeCount", "op": "gt", "value": 1000},
          {"any": [{"field": "contact.attributes.tier", "op": "in", "value": ["gold", "silver"]},
                   {"field": "contact.consent.newsletter", "op": "equals", "value": true}]},
          {"leads": "any", "where": [{"field": "score", "model": "6f1c3a52-8e0b-4d2e-9a17-3c5b8f2d1e40", "op": "gte",
                                      "value": 50}]},
          {"opportunities": "none"},
          {"interactions": "any", "atLeast": 3, "where": [{"field": "occurredAt", "op": "withinDays", "value": 30}]}
        ]}}"""));
    assertThat(input.kind()).isEqualTo(SegmentInput.Kind.DYNAMIC);
    assertThat(input.requiresConsent()).isEqualTo("marketing");
    Group root = input.definition();
    assertThat(root.all()).isTrue();
    assertThat(root.items()).hasSize(6);
    assertThat(root.items().get(0)).isEqualTo(
        new Condition(SegmentField.CONTACT_JOB_TITLE, null, null, SegmentField.Op.CONTAINS, "CTO"));
    assertThat(((Condition) root.items().get(1)).value()).isEqualTo(new BigDecimal("1000"));
    Group any = (Group) root.items().get(2);
    assertThat(any.all()).isFalse();
    assertThat(((Condition) any.items().get(0)).key()).isEqualTo("tier");
    assertThat(((Condition) any.items().get(0)).value()).isEqualTo(List.of("gold", "silver"));
    assertThat(((Condition) any.items().get(1)).field()).isEqualTo(SegmentField.CONTACT_CONSENT);
    Related leads = (Related) root.items().get(3);
    assertThat(leads.none()).isFalse();
    assertThat(leads.where().get(0).model()).hasToString("6f1c3a52-8e0b-4d2e-9a17-3c5b8f2d1e40");
    assertThat(((Related) root.items().get(4)).none()).isTrue();
    Related interactions = (Related) root.items().get(5);
    assertThat(interactions.atLeast()).isEqualTo(3);
    assertThat(interactions.where().get(0).value()).isEqualTo(30L);
    assertThat(input.definitionBody()).containsKey("all");
  }

  @Test
  void aStaticSegmentHasNoDefinition() {
    SegmentInput input = SegmentParser.segment(body("{\"name\": \"Fair visitors\", \"kind\": \"static\"}"));
    assertThat(input.definition()).isNull();
    assertThat(errors("{\"name\": \"x\", \"kind\": \"static\", \"definition\": {\"all\": []}}"))
        .extracting(FieldError::field).containsExactly("definition");
    assertThat(errors("{\"name\": \"x\", \"kind\": \"static\", \"requiresConsent\": \"marketing\"}"))
        .as("hand-picked members are never re-checked: a gate would promise what it cannot keep")
        .extracting(FieldError::field).containsExactly("requiresConsent");
  }

  @Test
  void oneErrorPerFaultEachAtItsPath() {
    List<FieldError> errors = errors("""
        {"kind": "smart", "colour": "red", "definition": {"all": [
          {"field": "contact.jobTitle", "op": "contains", "value": "CTO"},
          {"any": [{"field": "contact.shoeSize", "op": "equals", "value": "44"},
                   {"field": "contact.country", "op": "gt", "value": "DE"}]},
          {"leads": "some", "where": [{"field": "status", "op": "equals", "value": "won"},
                                      {"field": "score", "op": "gte", "value": 5}]},
          {"interactions": "none", "atLeast": 2},
          {"field": "account.employeeCount", "op": "gte", "value": "many", "extra": 1},
          {"field": "leads.stage", "op": "equals", "value": "inquiry"},
          42
        ]}}""");
    assertThat(errors).extracting(FieldError::field).containsExactly(
        "colour",
        "name",
        "kind",
        "definition.all[1].any[0].field",
        "definition.all[1].any[1].op",
        "definition.all[2].leads",
        "definition.all[2].where[0].value",
        "definition.all[2].where[1].model",
        "definition.all[3].atLeast",
        "definition.all[4].extra",
        "definition.all[4].value",
        "definition.all[5].field",
        "definition.all[6]");
    // Every message says what would be right.
    assertThat(errors.get(3).message()).contains("jobTitle");
    assertThat(errors.get(4).message()).contains("equals").contains("contains");
    assertThat(errors.get(6).message()).contains("open, converted, disqualified");
    assertThat(errors.get(11).message()).contains("\"leads\": \"any\"|\"none\"");
  }

  @Test
  void valuesMustFitTheirOperator() {
    assertThat(draftErrors("""
        {"all": [
          {"field": "contact.createdAt", "op": "withinDays", "value": 0},
          {"field": "contact.country", "op": "in", "value": []},
          {"field": "contact.accountId", "op": "equals", "value": "not-a-uuid"},
          {"field": "contact.email", "op": "exists", "value": "yes"},
          {"field": "contact.consent.marketing", "op": "equals", "value": "true"},
          {"field": "contact.attributes.bad key", "op": "equals", "value": "x"},
          {"field": "contact.email", "op": "equals"},
          {"field": "interactions", "op": "equals", "value": "x"}
        ]}""")).extracting(FieldError::field).containsExactly(
        "definition.all[0].value", "definition.all[1].value", "definition.all[2].value", "definition.all[3].value",
        "definition.all[4].value", "definition.all[5].field", "definition.all[6].value", "definition.all[7].field");
  }

  @Test
  void groupsMustHoldSomethingAndBeOneKind() {
    assertThat(draftErrors("{\"all\": []}")).extracting(FieldError::field).containsExactly("definition.all");
    assertThat(draftErrors("{\"all\": [{\"all\": [{\"field\": \"contact.email\", \"op\": \"exists\"}], \"any\": []}]}"))
        .extracting(FieldError::field).containsExactly("definition.all[0]");
    assertThat(draftErrors("{\"none\": []}")).extracting(FieldError::field).containsExactly("definition");
  }

  @Test
  void limitsOnDepthConditionsAndValues() {
    String leaf = "{\"field\": \"contact.email\", \"op\": \"exists\"}";
    String nested = leaf;
    for (int i = 0; i < SegmentParser.MAX_DEPTH; i++) {
      nested = "{\"any\": [" + nested + "]}";
    }
    // MAX_DEPTH nested groups inside the root: one level too deep.
    assertThat(draftErrors("{\"all\": [" + nested + "]}")).hasSize(1).first()
        .satisfies(e -> assertThat(e.message()).contains("at most " + SegmentParser.MAX_DEPTH));
    List<String> many = new ArrayList<>();
    for (int i = 0; i < SegmentParser.MAX_CONDITIONS + 5; i++) {
      many.add(leaf);
    }
    assertThat(draftErrors("{\"any\": [" + String.join(",", many) + "]}")).extracting(FieldError::field)
        .containsExactly("definition.any[" + SegmentParser.MAX_CONDITIONS + "]");
    String longText = "x".repeat(SegmentParser.MAX_VALUE_LENGTH + 1);
    assertThat(draftErrors("{\"all\": [{\"field\": \"contact.email\", \"op\": \"equals\", \"value\": \"" + longText + "\"}]}"))
        .extracting(FieldError::field).containsExactly("definition.all[0].value");
    List<String> values = new ArrayList<>();
    for (int i = 0; i <= SegmentParser.MAX_IN_VALUES; i++) {
      values.add("\"v" + i + "\"");
    }
    assertThat(draftErrors("{\"all\": [{\"field\": \"contact.email\", \"op\": \"in\", \"value\": [" + String.join(",", values)
        + "]}]}")).extracting(FieldError::field).containsExactly("definition.all[0].value");
  }

  @Test
  void contactIdsForAStaticSegment() {
    assertThat(SegmentParser.contactIds(body("{\"contactIds\": [\"6f1c3a52-8e0b-4d2e-9a17-3c5b8f2d1e40\"]}")))
        .hasSize(1);
    InvalidInput invalid = catchThrowableOfType(InvalidInput.class,
        () -> SegmentParser.contactIds(body("{\"contactIds\": [\"6f1c3a52-8e0b-4d2e-9a17-3c5b8f2d1e40\", \"1-2-3-4-5\", 7]}")));
    assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("contactIds[1]", "contactIds[2]");
  }

  @Test
  void everyFieldHasOperatorsAndKeyedFieldsAreContactOnes() {
    for (SegmentField field : SegmentField.values()) {
      assertThat(field.type().ops()).isNotEmpty();
      if (field.keyed() || field.perModel()) {
        assertThat(field.subject()).isIn(SegmentField.Subject.CONTACT, SegmentField.Subject.LEADS);
      }
    }
  }

  // ---- helpers ----

  private static List<FieldError> errors(String json) {
    return catchThrowableOfType(InvalidInput.class, () -> SegmentParser.segment(body(json))).errors();
  }

  private static List<FieldError> draftErrors(String definition) {
    return catchThrowableOfType(InvalidInput.class,
        () -> SegmentParser.draft(body("{\"definition\": " + definition + "}"))).errors();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> body(String json) {
    return (Map<String, Object>) plain(new JsonObject(json));
  }

  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
      return map;
    }
    if (value instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    return value;
  }
}
