package io.leadcycle.linkedin;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One LinkedIn Lead Gen form response (a lead), as LinkedIn's {@code leadFormResponses} API returns it:
 * {@code id}, {@code versionedLeadGenFormUrn}, {@code submittedAt} (epoch milliseconds), {@code testLead},
 * {@code leadType}, {@code owner}, the answers keyed by question id
 * ({@code formResponse.answers[].questionId} with {@code answerDetails.textQuestionAnswer.answer} or
 * {@code answerDetails.multipleChoiceAnswer.options}), the consents
 * ({@code formResponse.consentResponses[]}) and, when the request projected it, the form's questions
 * ({@code form.content.questions[]} with {@code predefinedField}), which is how answers are found by
 * predefined field. Built from plain maps and lists (parsed JSON) only by {@link #parse}.
 */
public record LinkedInLead(String id, String formUrn, String versionedFormUrn, Instant submittedAt, boolean testLead,
    String leadType, String owner, Map<String, String> answers, Map<String, Boolean> consents,
    Map<String, String> predefinedFields) {

  public static final String RESPONSE_URN_PREFIX = "urn:li:leadGenFormResponse:";
  /** The unversioned form inside a versioned one: {@code urn:li:versionedLeadGenForm:(urn:li:leadGenForm:123,1)}. */
  private static final Pattern FORM_URN = Pattern.compile("(urn:li:leadGenForm:[0-9]{1,19})");
  private static final Pattern RESPONSE_ID = Pattern.compile("^[A-Za-z0-9_-]{1,150}$");

  public LinkedInLead {
    answers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    consents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(consents));
    predefinedFields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(predefinedFields));
  }

  /** The response's URN, the idempotency key of everything LinkedIn sends about it. */
  public String responseUrn() {
    return RESPONSE_URN_PREFIX + id;
  }

  /** The response id of a response URN ({@code urn:li:leadGenFormResponse:<id>}); empty when it is not one. */
  public static Optional<String> idOfUrn(String urn) {
    if (urn == null || !urn.startsWith(RESPONSE_URN_PREFIX)) {
      return Optional.empty();
    }
    String id = urn.substring(RESPONSE_URN_PREFIX.length());
    return RESPONSE_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
  }

  /** The unversioned form URN in {@code urn} (versioned or not); empty when there is none. */
  public static Optional<String> formUrnIn(String urn) {
    if (urn == null) {
      return Optional.empty();
    }
    Matcher m = FORM_URN.matcher(urn);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The answer to the question that LinkedIn prefills from the member's profile as {@code predefinedField}. */
  public String answerOfPredefined(String predefinedField) {
    for (Map.Entry<String, String> question : predefinedFields.entrySet()) {
      if (question.getValue().equals(predefinedField)) {
        return answers.get(question.getKey());
      }
    }
    return null;
  }

  /**
   * Reads one element of LinkedIn's answer.
   *
   * @throws InvalidInput when {@code id}, {@code versionedLeadGenFormUrn} or {@code submittedAt} is missing
   *     or malformed (nothing sensible can be done with such a response)
   */
  public static LinkedInLead parse(Map<String, ?> element) {
    List<FieldError> errors = new ArrayList<>();
    Object rawId = element.get("id");
    String id = rawId instanceof String || rawId instanceof Number ? rawId.toString() : null;
    if (id == null || !RESPONSE_ID.matcher(id).matches()) {
      errors.add(new FieldError("id", "a form response id is required"));
    }
    String versioned = element.get("versionedLeadGenFormUrn") instanceof String s ? s : null;
    String formUrn = formUrnIn(versioned).orElse(null);
    if (formUrn == null) {
      errors.add(new FieldError("versionedLeadGenFormUrn", "a lead gen form URN is required"));
    }
    Instant submittedAt = element.get("submittedAt") instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null;
    if (submittedAt == null) {
      errors.add(new FieldError("submittedAt", "epoch milliseconds are required"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    boolean testLead = Boolean.TRUE.equals(element.get("testLead"));
    String leadType = element.get("leadType") instanceof String s ? s : null;
    String owner = null;
    if (element.get("owner") instanceof Map<?, ?> ownerMap) {
      owner = ownerMap.values().stream().filter(String.class::isInstance).map(String.class::cast).findFirst().orElse(null);
    }

    Map<String, String> predefined = new LinkedHashMap<>();
    Map<String, Map<String, String>> optionTexts = new LinkedHashMap<>();
    for (Map<?, ?> question : maps(path(element, "form", "content", "questions"))) {
      String questionId = idText(question.get("questionId"));
      if (questionId == null) {
        continue;
      }
      if (question.get("predefinedField") instanceof String field) {
        predefined.put(questionId, field);
      }
      for (Map<?, ?> option : maps(path(question, "questionDetails", "multipleChoiceQuestionDetails", "options"))) {
        String optionId = idText(option.get("id"));
        String text = localized(option.get("text"));
        if (optionId != null && text != null) {
          optionTexts.computeIfAbsent(questionId, q -> new LinkedHashMap<>()).put(optionId, text);
        }
      }
    }

    Map<String, String> answers = new LinkedHashMap<>();
    for (Map<?, ?> answer : maps(path(element, "formResponse", "answers"))) {
      String questionId = idText(answer.get("questionId"));
      if (questionId == null || !(answer.get("answerDetails") instanceof Map<?, ?> details)) {
        continue;
      }
      if (details.get("textQuestionAnswer") instanceof Map<?, ?> text && text.get("answer") instanceof String value) {
        answers.put(questionId, value);
      } else if (details.get("multipleChoiceAnswer") instanceof Map<?, ?> choice
          && choice.get("options") instanceof List<?> options) {
        // The answer names option ids; the form (when projected) has their text.
        Map<String, String> texts = optionTexts.getOrDefault(questionId, Map.of());
        List<String> chosen = new ArrayList<>();
        for (Object option : options) {
          String optionId = idText(option);
          if (optionId != null) {
            chosen.add(texts.getOrDefault(optionId, optionId));
          }
        }
        answers.put(questionId, String.join(", ", chosen));
      }
    }
    Map<String, Boolean> consents = new LinkedHashMap<>();
    for (Map<?, ?> consent : maps(path(element, "formResponse", "consentResponses"))) {
      String consentId = idText(consent.get("consentId"));
      if (consentId != null && consent.get("accepted") instanceof Boolean accepted) {
        consents.put(consentId, accepted);
      }
    }
    return new LinkedInLead(id, formUrn, versioned, submittedAt, testLead, leadType, owner, answers, consents, predefined);
  }

  private static Object path(Object from, String... names) {
    Object at = from;
    for (String name : names) {
      if (!(at instanceof Map<?, ?> map)) {
        return null;
      }
      at = map.get(name);
    }
    return at;
  }

  private static List<Map<?, ?>> maps(Object list) {
    List<Map<?, ?>> maps = new ArrayList<>();
    if (list instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> map) {
          maps.add(map);
        }
      }
    }
    return maps;
  }

  /** A question or option id: LinkedIn sends numbers; text of digits is taken as well. */
  private static String idText(Object value) {
    if (value instanceof Number n) {
      return Long.toString(n.longValue());
    }
    return value instanceof String s && s.matches("[0-9]{1,19}") ? s : null;
  }

  /** The first text of a {@code {"localized": {"en_US": "..."}}} value. */
  private static String localized(Object value) {
    if (value instanceof Map<?, ?> map && map.get("localized") instanceof Map<?, ?> texts) {
      return texts.values().stream().filter(String.class::isInstance).map(String.class::cast).findFirst().orElse(null);
    }
    return null;
  }
}
