package io.leadcycle.linkedin;

import io.leadcycle.domain.AccountLinking;
import io.leadcycle.domain.BrowserSettings;
import io.leadcycle.domain.ContactDetails;
import io.leadcycle.domain.ContactFields;
import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.Fields;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.FormKind;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.MatchKey;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.StrategyEntity;
import io.leadcycle.domain.Submission;
import io.leadcycle.domain.UpdateMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the answers of one LinkedIn Lead Gen form fill contact fields ({@code PUT /v1/linkedin/forms/{formUrn}}):
 * each key is a question id or a predefined field of the form (one of {@link #PREDEFINED_FIELDS}), each
 * value a standard contact field or {@code attributes.<name>}; the form's contact and lead strategies; what
 * to do when a lead lacks some of their fields; and whether test leads count. Leads get the marketing
 * context kind {@code linkedin_form} with the form URN as id and the mapping's name as name.
 */
public record LinkedInFormMapping(String formUrn, String name, Map<String, String> fields, String contactStrategyId,
    String leadStrategyId, PartialMatch onPartialMatch, boolean includeTestLeads) {

  /** What a lead that lacks some fields of the form's strategies does. */
  public enum PartialMatch {
    /** Take the lead in anyway: a new contact (or lead) without matching where a field is missing. */
    CREATE("create"),
    /** Keep it out: nothing is written but the ledger entry, and the sync status counts it. */
    IGNORE("ignore");

    private final String wireName;

    PartialMatch(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    static Optional<PartialMatch> fromWireName(String name) {
      return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }
  }

  public static final List<String> SETTINGS = List.of("name", "fields", "contactStrategyId", "leadStrategyId",
      "onPartialMatch", "includeTestLeads");

  /**
   * LinkedIn's predefined (profile-prefilled) question types, as its Lead Sync schema lists them
   * ({@code predefinedField}).
   */
  public static final List<String> PREDEFINED_FIELDS = List.of("FIRST_NAME", "LAST_NAME", "EMAIL", "WORK_EMAIL",
      "PHONE_NUMBER", "WORK_PHONE_NUMBER", "COMPANY_NAME", "JOB_TITLE", "JOB_FUNCTION", "SENIORITY", "COUNTRY",
      "STATE", "CITY", "ZIP_CODE", "COMPANY_SIZE", "INDUSTRY", "DEGREE", "FIELD_OF_STUDY", "SCHOOL", "START_DATE",
      "GRADUATION_DATE", "GENDER", "LINKEDIN_PROFILE_LINK");

  /** Where a proposal puts each predefined field; the rest go to attributes named like them. */
  private static final Map<String, String> PROPOSED = Map.of("FIRST_NAME", "firstName", "LAST_NAME", "lastName",
      "EMAIL", "email", "PHONE_NUMBER", "phone", "COMPANY_NAME", "companyName", "JOB_TITLE", "jobTitle",
      "COUNTRY", "country");

  public static final String ATTRIBUTE_PREFIX = "attributes.";
  public static final int MAX_FIELDS = 100;
  private static final Pattern FORM_URN = Pattern.compile("^urn:li:leadGenForm:[0-9]{1,19}$");
  private static final Pattern QUESTION_ID = Pattern.compile("^[0-9]{1,19}$");

  public LinkedInFormMapping {
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** Whether {@code urn} names a Lead Gen form as mappings are keyed: {@code urn:li:leadGenForm:<id>}. */
  public static boolean isFormUrn(String urn) {
    return urn != null && FORM_URN.matcher(urn).matches();
  }

  /**
   * Validates a mapping body for {@code formUrn}, with the defaults: the default strategy pair,
   * {@code onPartialMatch: create} (a lead is never dropped unless asked), {@code includeTestLeads: false}.
   */
  public static LinkedInFormMapping parse(String formUrn, Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, SETTINGS, "", errors);
    if (!isFormUrn(formUrn)) {
      errors.add(new FieldError("formUrn", formUrn != null && formUrn.startsWith("urn:li:versionedLeadGenForm:")
          ? "use the form's URN without its version: urn:li:leadGenForm:<id>"
          : "a Lead Gen form URN, urn:li:leadGenForm:<id> (URL-encoded in the path)"));
    }
    String name = Fields.requiredText(body, "name", Submission.MAX_TEXT_LENGTH, errors);
    Map<String, String> fields = fields(body.get("fields"), errors);
    String contactStrategyId = Fields.optionalText(body, "contactStrategyId", 100, errors);
    String leadStrategyId = Fields.optionalText(body, "leadStrategyId", 100, errors);
    PartialMatch partial = body.get("onPartialMatch") == null ? PartialMatch.CREATE
        : Fields.requiredEnum(body, "onPartialMatch", PartialMatch::fromWireName, List.of("create", "ignore"), errors);
    boolean includeTestLeads = Fields.optionalBoolean(body, "includeTestLeads", false, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new LinkedInFormMapping(formUrn, name, fields,
        contactStrategyId == null ? MatchingStrategy.DEFAULT_CONTACT : contactStrategyId,
        leadStrategyId == null ? MatchingStrategy.DEFAULT_LEAD : leadStrategyId, partial, includeTestLeads);
  }

  private static Map<String, String> fields(Object value, List<FieldError> errors) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (!(value instanceof Map<?, ?> map)) {
      errors.add(new FieldError("fields", value == null
          ? "required: an object of question ids or predefined fields to contact fields"
          : "must be an object of question ids or predefined fields to contact fields"));
      return fields;
    }
    if (map.isEmpty()) {
      errors.add(new FieldError("fields", "map at least one question to a contact field"));
    }
    if (map.size() > MAX_FIELDS) {
      errors.add(new FieldError("fields", "more than " + MAX_FIELDS + " entries"));
      return fields;
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      String path = "fields." + key;
      if (!QUESTION_ID.matcher(key).matches() && !PREDEFINED_FIELDS.contains(key)) {
        errors.add(new FieldError(path, "a question id (digits) or a predefined field: "
            + String.join(", ", PREDEFINED_FIELDS)));
        continue;
      }
      String error = targetError(entry.getValue());
      if (error != null) {
        errors.add(new FieldError(path, error));
        continue;
      }
      fields.put(key, (String) entry.getValue());
    }
    long attributes = fields.values().stream().filter(t -> t.startsWith(ATTRIBUTE_PREFIX)).distinct().count();
    if (attributes > Submission.MAX_ATTRIBUTES) {
      errors.add(new FieldError("fields", "more than " + Submission.MAX_ATTRIBUTES + " attributes"));
    }
    return fields;
  }

  /** Why {@code target} cannot receive an answer; null when it can. */
  private static String targetError(Object target) {
    String rule = "a contact field (" + String.join(", ", ContactDetails.STANDARD_FIELDS) + ") or "
        + ATTRIBUTE_PREFIX + "<name>";
    if (!(target instanceof String text)) {
      return rule;
    }
    if (ContactDetails.STANDARD_FIELDS.contains(text)) {
      return null;
    }
    if (text.startsWith(ATTRIBUTE_PREFIX)) {
      String attribute = text.substring(ATTRIBUTE_PREFIX.length());
      if (!ContactFields.isAttributeName(attribute)) {
        return ContactFields.ATTRIBUTE_NAME_RULE;
      }
      if (ContactDetails.STANDARD_FIELDS.contains(attribute) || attribute.equals("submissionId")
          || attribute.equals("submittedAt")) {
        return "use " + attribute + " itself, not as an attribute";
      }
      return null;
    }
    return rule;
  }

  /** Checks that the named strategies exist and find what their role needs. */
  public void checkStrategies(MatchingStrategy contactStrategy, MatchingStrategy leadStrategy) {
    List<FieldError> errors = new ArrayList<>();
    FormDefinition.checkStrategy("contactStrategyId", contactStrategyId, contactStrategy, StrategyEntity.CONTACT, errors);
    FormDefinition.checkStrategy("leadStrategyId", leadStrategyId, leadStrategy, StrategyEntity.LEAD, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
  }

  /** The settings as a request body carries them (and as the API shows them). */
  public Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("fields", new LinkedHashMap<>(fields));
    body.put("contactStrategyId", contactStrategyId);
    body.put("leadStrategyId", leadStrategyId);
    body.put("onPartialMatch", onPartialMatch.wireName());
    body.put("includeTestLeads", includeTestLeads);
    return body;
  }

  /**
   * A mapping proposed from a form's questions (LinkedIn's {@code leadForms} answer, as plain maps):
   * every question with a predefined field, keyed by its question id, to the matching contact field, or
   * to {@code attributes.<field in camel case>}. Custom questions have no predefined field and are left
   * for the user to map. The default strategies, {@code create}, no test leads.
   */
  public static LinkedInFormMapping propose(String formUrn, Map<String, ?> form) {
    String name = form.get("name") instanceof String s && !s.isBlank() ? s.strip() : formUrn;
    if (name.length() > Submission.MAX_TEXT_LENGTH) {
      name = name.substring(0, Submission.MAX_TEXT_LENGTH);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> taken = new ArrayList<>();
    Object questions = form.get("content") instanceof Map<?, ?> content ? content.get("questions") : null;
    if (questions instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof Map<?, ?> question) || !(question.get("predefinedField") instanceof String predefined)
            || !(question.get("questionId") instanceof Number id)) {
          continue;
        }
        String target = PROPOSED.get(predefined);
        if (target == null && predefined.equals("WORK_EMAIL")) {
          target = "email";
        } else if (target == null && predefined.equals("WORK_PHONE_NUMBER")) {
          target = "phone";
        }
        // A second question for a field already taken (EMAIL and WORK_EMAIL) keeps its answer as an attribute.
        if (target == null || taken.contains(target)) {
          target = ATTRIBUTE_PREFIX + camelCase(predefined);
        }
        taken.add(target);
        fields.put(Long.toString(id.longValue()), target);
      }
    }
    return new LinkedInFormMapping(formUrn, name, fields, MatchingStrategy.DEFAULT_CONTACT, MatchingStrategy.DEFAULT_LEAD,
        PartialMatch.CREATE, false);
  }

  static String camelCase(String constant) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : constant.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  // ---- a lead through this mapping ----

  /** What becomes of one lead of this form. */
  public enum Disposition {
    /** A test lead, and the mapping does not include test leads. */
    SKIPPED_TEST_LEAD("skipped_test_lead"),
    /** A strategy field is missing and the mapping says {@code ignore}. */
    IGNORED_PARTIAL_MATCH("ignored_partial_match"),
    /** Through intake. */
    INTAKE("intake");

    private final String wireName;

    Disposition(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /**
   * The decision for one lead: its disposition and, for intake, the form intake runs with (lead matching
   * off when the lead strategy cannot be applied), the submission and whether the contact is matched.
   */
  public record Decision(Disposition disposition, Form form, Submission submission, boolean matchContact) {
  }

  /**
   * Decides what one lead of this form does: test leads are skipped unless included; the answers become
   * the submission's fields (an answer a contact field cannot take, such as a malformed email, is left
   * out with a warning instead of losing the lead); a lead that lacks a field of the contact or lead
   * strategy is ignored or created without that matching, as {@code onPartialMatch} says.
   */
  public Decision decide(LinkedInLead lead, MatchingStrategy contactStrategy, MatchingStrategy leadStrategy) {
    Form form = intakeForm(contactStrategy, leadStrategy, false);
    if (lead.testLead() && !includeTestLeads) {
      return new Decision(Disposition.SKIPPED_TEST_LEAD, form, null, false);
    }
    Map<String, Object> submitted = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    fields.forEach((question, target) -> {
      String answer = QUESTION_ID.matcher(question).matches() ? lead.answers().get(question)
          : lead.answerOfPredefined(question);
      if (answer == null || answer.isBlank()) {
        return;
      }
      String field = target.startsWith(ATTRIBUTE_PREFIX) ? target.substring(ATTRIBUTE_PREFIX.length()) : target;
      if (submitted.containsKey(field)) {
        return; // two questions for one field: the first answered, in the mapping's order
      }
      String value = answer.strip();
      List<FieldError> problems = new ArrayList<>();
      if (ContactDetails.STANDARD_FIELDS.contains(field)) {
        ContactFields.checkStandardField(field, field, value, problems);
      } else if (value.length() > Submission.MAX_ATTRIBUTE_LENGTH) {
        problems.add(new FieldError(field, "longer than " + Submission.MAX_ATTRIBUTE_LENGTH + " characters"));
      }
      if (problems.isEmpty()) {
        submitted.put(field, value);
      } else {
        warnings.add("question " + question + " (" + target + ") left out: " + problems.get(0).message());
      }
    });
    Map<String, Object> consent = new LinkedHashMap<>();
    lead.consents().forEach((id, accepted) -> consent.put("linkedin:" + id, accepted));
    Submission parsed = Submission.parse(lead.responseUrn(), lead.submittedAt().toString(), submitted,
        consent.isEmpty() ? null : consent, form, false);
    List<String> allWarnings = new ArrayList<>(parsed.warnings());
    allWarnings.addAll(warnings);
    Submission submission = new Submission(parsed.submissionId(), parsed.submittedAt(), parsed.contact(),
        parsed.consent(), parsed.receivedFields(), allWarnings);

    boolean contactKey = MatchKey.of(contactStrategy, submission.contact(), formUrn).isPresent();
    boolean leadKey = MatchKey.of(leadStrategy, submission.contact(), formUrn).isPresent();
    if (contactKey && leadKey) {
      return new Decision(Disposition.INTAKE, form, submission, true);
    }
    if (onPartialMatch == PartialMatch.IGNORE) {
      return new Decision(Disposition.IGNORED_PARTIAL_MATCH, form, submission, false);
    }
    return new Decision(Disposition.INTAKE, intakeForm(contactStrategy, leadStrategy, !leadKey), submission, contactKey);
  }

  /** This mapping as the form intake runs: contacts and leads, no account linking, no browser settings. */
  private Form intakeForm(MatchingStrategy contactStrategy, MatchingStrategy leadStrategy, boolean leadsWithoutMatching) {
    return new Form(formUrn, name, FormKind.LINKEDIN_FORM, contactStrategy, leadStrategy, UpdateMode.CONTACTS_AND_LEADS,
        leadsWithoutMatching, false, null, AccountLinking.OFF, BrowserSettings.NONE);
  }
}
