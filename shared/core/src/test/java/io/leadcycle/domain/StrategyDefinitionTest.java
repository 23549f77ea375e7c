package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyDefinitionTest {

  private static Map<String, Object> body(String entity, Object fields) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "By email and phone");
    body.put("entity", entity);
    body.put("fields", fields);
    return body;
  }

  private static InvalidInput invalid(Map<String, ?> body) {
    InvalidInput invalid = catchThrowableOfType(InvalidInput.class, () -> StrategyDefinition.parse(body));
    assertThat(invalid).as("InvalidInput thrown").isNotNull();
    return invalid;
  }

  private static List<String> errorFields(Map<String, ?> body) {
    return invalid(body).errors().stream().map(FieldError::field).toList();
  }

  @Test
  void parsesAContactStrategyKeepingTheFieldOrder() {
    StrategyDefinition definition = StrategyDefinition.parse(body("contact", List.of("phone", "email", "lastName")));

    assertThat(definition.name()).isEqualTo("By email and phone");
    assertThat(definition.entity()).isEqualTo(StrategyEntity.CONTACT);
    assertThat(definition.fields()).containsExactly(MatchField.PHONE, MatchField.EMAIL, MatchField.LAST_NAME);
  }

  @Test
  void everyDocumentedContactFieldIsAllowed() {
    StrategyDefinition definition = StrategyDefinition.parse(
        body("contact", List.of("email", "firstName", "lastName", "phone", "companyName")));

    assertThat(definition.fields()).hasSize(5);
  }

  @Test
  void marketingContextIdIsAllowedForLeads() {
    StrategyDefinition definition = StrategyDefinition.parse(body("lead", List.of("email", "marketingContextId")));

    assertThat(definition.entity()).isEqualTo(StrategyEntity.LEAD);
    assertThat(definition.fields()).containsExactly(MatchField.EMAIL, MatchField.MARKETING_CONTEXT_ID);
  }

  @Test
  void marketingContextIdIsNotAllowedForContacts() {
    InvalidInput invalid = invalid(body("contact", List.of("email", "marketingContextId")));

    assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("fields[1]");
    assertThat(invalid.errors().get(0).message()).doesNotContain("marketingContextId").contains("email");
  }

  @Test
  void unknownField() {
    for (Object bad : Arrays.asList("jobTitle", "Email", "email_address", "id; DROP TABLE contacts", 3, null)) {
      assertThat(errorFields(body("lead", Arrays.asList("email", bad)))).as(String.valueOf(bad))
          .containsExactly("fields[1]");
    }
  }

  @Test
  void duplicateField() {
    InvalidInput invalid = invalid(body("contact", List.of("email", "phone", "email")));

    assertThat(invalid.errors()).extracting(FieldError::field).containsExactly("fields[2]");
    assertThat(invalid.errors().get(0).message()).contains("twice");
  }

  @Test
  void emptyOrMissingFieldList() {
    assertThat(errorFields(body("contact", List.of()))).containsExactly("fields");
    assertThat(errorFields(body("contact", null))).containsExactly("fields");
    assertThat(errorFields(body("contact", "email"))).containsExactly("fields");
  }

  @Test
  void invalidEntityAndName() {
    Map<String, Object> body = body("account", List.of("email"));
    body.put("name", " ");

    assertThat(errorFields(body)).containsExactlyInAnyOrder("name", "entity");
    assertThat(errorFields(body(null, List.of("email")))).containsExactly("entity");
  }
}
