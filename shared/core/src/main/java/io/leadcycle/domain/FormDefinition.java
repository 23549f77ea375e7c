package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a user sends to create or replace a form ({@code PUT /v1/forms/{formId}}), validated, with the
 * documented defaults filled in. Strategy ids are checked against the database by the caller. A
 * {@code PATCH} is the stored definition with the changed settings laid over it ({@link #patched}).
 */
public record FormDefinition(
    String id,
    String name,
    FormKind kind,
    String contactStrategyId,
    String leadStrategyId,
    UpdateMode updateMode,
    boolean generateLeadsWithoutMatching,
    boolean requireSignature,
    AccountLinking accountLinking,
    BrowserSettings browser,
    String processId) {

  /** A definition whose leads run on the shipped process. */
  public FormDefinition(String id, String name, FormKind kind, String contactStrategyId, String leadStrategyId,
      UpdateMode updateMode, boolean generateLeadsWithoutMatching, boolean requireSignature,
      AccountLinking accountLinking, BrowserSettings browser) {
    this(id, name, kind, contactStrategyId, leadStrategyId, updateMode, generateLeadsWithoutMatching,
        requireSignature, accountLinking, browser, DEFAULT_PROCESS_ID);
  }

  /** The process a form's leads run on unless it names one: the shipped process. */
  public static final String DEFAULT_PROCESS_ID = io.leadcycle.process.ProcessDefinition.DEFAULT_ID;

  /** Every setting a form body may carry, in the order the API shows them. */
  public static final List<String> SETTINGS = List.of("name", "kind", "contactStrategyId", "leadStrategyId",
      "updateMode", "generateLeadsWithoutMatching", "requireSignature", "accountMatching", "createAccounts",
      "allowedOrigins", "redirectUrl", "honeypotField", "unsignedUpdates", "processId");

  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$");

  /** Whether {@code id} can name a form (or strategy): letters, digits, '.', '_', '-', at most 100. */
  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public static FormDefinition parse(String id, Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, SETTINGS, "", errors);
    if (!isValidId(id)) {
      errors.add(new FieldError("formId", "use letters, digits, '.', '_', '-' (100 at most)"));
    }
    String name = Fields.requiredText(body, "name", Submission.MAX_TEXT_LENGTH, errors);
    FormKind kind = Fields.requiredEnum(body, "kind",
        wire -> FormKind.fromWireName(wire).filter(FormKind::isPageOrEvent), List.of("marketing_page", "event"), errors);
    String contactStrategyId = Fields.optionalText(body, "contactStrategyId", 100, errors);
    String leadStrategyId = Fields.optionalText(body, "leadStrategyId", 100, errors);
    UpdateMode updateMode = body.get("updateMode") == null ? UpdateMode.CONTACTS_AND_LEADS
        : Fields.requiredEnum(body, "updateMode", UpdateMode::fromWireName,
            List.of("contacts_and_leads", "only_contacts", "only_leads", "no_update"), errors);
    boolean generate = Fields.optionalBoolean(body, "generateLeadsWithoutMatching", false, errors);
    boolean requireSignature = Fields.optionalBoolean(body, "requireSignature", true, errors);
    AccountMatching accountMatching = body.get("accountMatching") == null ? AccountMatching.OFF
        : Fields.requiredEnum(body, "accountMatching", AccountMatching::fromWireName, AccountMatching.WIRE_NAMES, errors);
    boolean createAccounts = Fields.optionalBoolean(body, "createAccounts", false, errors);
    BrowserSettings browser = BrowserSettings.parse(body, errors);
    // Whether it names a live process is the caller's check (it needs the database).
    String processId = Fields.optionalText(body, "processId", 100, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new FormDefinition(id, name, kind,
        contactStrategyId == null ? MatchingStrategy.DEFAULT_CONTACT : contactStrategyId,
        leadStrategyId == null ? MatchingStrategy.DEFAULT_LEAD : leadStrategyId,
        updateMode, generate, requireSignature, new AccountLinking(accountMatching, createAccounts), browser,
        processId == null ? DEFAULT_PROCESS_ID : processId);
  }

  /**
   * This definition with the settings of a {@code PATCH} body laid over it: named settings change, the
   * others keep their values; a setting sent as {@code null} goes back to its default.
   */
  public FormDefinition patched(Map<String, ?> patch) {
    if (patch.isEmpty()) {
      throw InvalidInput.ofBody("An empty patch changes nothing: send at least one of " + String.join(", ", SETTINGS)
          + " (null resets a setting to its default).");
    }
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(patch, SETTINGS, "", errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    Map<String, Object> merged = toBody();
    merged.putAll(patch);
    return parse(id, merged);
  }

  /** The settings as a request body would carry them (and as the API shows them). */
  public Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("kind", kind.wireName());
    body.put("contactStrategyId", contactStrategyId);
    body.put("leadStrategyId", leadStrategyId);
    body.put("updateMode", updateMode.wireName());
    body.put("generateLeadsWithoutMatching", generateLeadsWithoutMatching);
    body.put("requireSignature", requireSignature);
    body.put("accountMatching", accountLinking.matching().wireName());
    body.put("createAccounts", accountLinking.createAccounts());
    body.put("allowedOrigins", browser.allowedOrigins());
    body.put("redirectUrl", browser.redirectUrl());
    body.put("honeypotField", browser.honeypotField());
    body.put("unsignedUpdates", browser.unsignedUpdates().wireName());
    body.put("processId", processId);
    return body;
  }

  /**
   * What the user should know about these settings although they are valid, as the suite warned its
   * users: modes that leave leads unscorable or create nothing, settings that have no effect, and
   * browser settings on a form browsers cannot sign for.
   */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    switch (updateMode) {
      case ONLY_LEADS -> warnings.add("updateMode only_leads: a submitter without a matching contact gets a lead "
          + "without a contact, which contact-based scoring models cannot score (the lead's unscorableReason says "
          + "so) until a contact is linked to it");
      case NO_UPDATE -> warnings.add("updateMode no_update: submissions are only kept in the form's submission "
          + "log; no contact, lead or interaction is created");
      default -> {
      }
    }
    if (generateLeadsWithoutMatching && !updateMode.touchesLeads()) {
      warnings.add("generateLeadsWithoutMatching has no effect: updateMode " + updateMode.wireName()
          + " creates no leads");
    }
    if (accountLinking.createAccounts() && accountLinking.matching() == AccountMatching.OFF) {
      warnings.add("createAccounts has no effect while accountMatching is off");
    }
    if (requireSignature && (!browser.allowedOrigins().isEmpty() || browser.redirectUrl() != null)) {
      warnings.add("allowedOrigins and redirectUrl serve posts from visitors' browsers, which cannot keep a "
          + "signing secret: with requireSignature true every browser post is refused (401); set it to false "
          + "for a page posted from the browser");
    }
    return warnings;
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

  public static void checkStrategy(String field, String id, MatchingStrategy strategy, StrategyEntity expected,
      List<FieldError> errors) {
    if (strategy == null) {
      errors.add(new FieldError(field, "no matching strategy with id " + id));
    } else if (strategy.entity() != expected) {
      errors.add(new FieldError(field, "strategy " + id + " matches " + strategy.entity().wireName()
          + "s, not " + expected.wireName() + "s"));
    }
  }
}
