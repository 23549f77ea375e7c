package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a user sends to create or replace a form ({@code PUT /v1/forms/{formId}}), validated, with the
 * documented defaults filled in. Strategy ids are checked against the database by the caller.
 */
public record FormDefinition(
    String id,
    String name,
    FormKind kind,
    String contactStrategyId,
    String leadStrategyId,
    UpdateMode updateMode,
    boolean generateLeadsWithoutMatching,
    boolean requireSignature) {

  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$");

  /** Whether {@code id} can name a form (or strategy): letters, digits, '.', '_', '-', at most 100. */
  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public static FormDefinition parse(String id, Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, List.of("name", "kind", "contactStrategyId", "leadStrategyId", "updateMode",
        "generateLeadsWithoutMatching", "requireSignature"), "", errors);
    if (!isValidId(id)) {
      errors.add(new FieldError("formId", "use letters, digits, '.', '_', '-' (100 at most)"));
    }
    String name = Fields.requiredText(body, "name", Submission.MAX_TEXT_LENGTH, errors);
    FormKind kind = Fields.requiredEnum(body, "kind", FormKind::fromWireName, List.of("marketing_page", "event"), errors);
    String contactStrategyId = Fields.optionalText(body, "contactStrategyId", 100, errors);
    String leadStrategyId = Fields.optionalText(body, "leadStrategyId", 100, errors);
    UpdateMode updateMode = body.get("updateMode") == null ? UpdateMode.CONTACTS_AND_LEADS
        : Fields.requiredEnum(body, "updateMode", UpdateMode::fromWireName,
            List.of("contacts_and_leads", "only_contacts", "only_leads", "no_update"), errors);
    boolean generate = Fields.optionalBoolean(body, "generateLeadsWithoutMatching", false, errors);
    boolean requireSignature = Fields.optionalBoolean(body, "requireSignature", true, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new FormDefinition(id, name, kind,
        contactStrategyId == null ? MatchingStrategy.DEFAULT_CONTACT : contactStrategyId,
        leadStrategyId == null ? MatchingStrategy.DEFAULT_LEAD : leadStrategyId,
        updateMode, generate, requireSignature);
  }

  /** Checks that the named strategies exist and find what their role needs. */
  public void checkStrategies(MatchingStrategy contactStrategy, MatchingStrategy leadStrategy) {
    List<FieldError> errors = new ArrayList<>();
    checkStrategy("contactStrategyId", contactStrategyId, contactStrategy, StrategyEntity.CONTACT, errors);
    checkStrategy("leadStrategyId", leadStrategyId, leadStrategy, StrategyEntity.LEAD, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
  }

  private static void checkStrategy(String field, String id, MatchingStrategy strategy, StrategyEntity expected,
      List<FieldError> errors) {
    if (strategy == null) {
      errors.add(new FieldError(field, "no matching strategy with id " + id));
    } else if (strategy.entity() != expected) {
      errors.add(new FieldError(field, "strategy " + id + " matches " + strategy.entity().wireName()
          + "s, not " + expected.wireName() + "s"));
    }
  }
}
