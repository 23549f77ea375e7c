package io.leadcycle.functions.formintake;

import io.leadcycle.domain.Fields;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.Submission;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.intake.RequestHash;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A submission's body read but not yet validated: JSON {@code {submissionId?, submittedAt?, fields:
 * {...}, consent?}} or form fields as top-level keys. Validation against the form comes later, so that
 * the honeypot and a replay's stored answer can be looked at first.
 */
record SubmissionBody(Object submissionId, Object submittedAt, Map<String, ?> fields, Object consent) {

  static SubmissionBody read(HttpRequest request) {
    request.requireJsonOrForm();
    if (request.isFormUrlEncoded()) {
      Map<String, String> fields = new LinkedHashMap<>(request.formBody());
      String submissionId = fields.remove("submissionId");
      String submittedAt = fields.remove("submittedAt");
      return new SubmissionBody(submissionId, submittedAt, fields, null);
    }
    Map<String, Object> body = request.jsonMap();
    Object fields = body.get("fields");
    if (fields != null && !(fields instanceof Map)) {
      throw new InvalidInput("fields", "must be an object of submitted fields");
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> fieldMap = (Map<String, ?>) fields;
    return new SubmissionBody(body.get("submissionId"), body.get("submittedAt"), fieldMap, body.get("consent"));
  }

  /** The submissionId when it is usable text, else null (validation reports what is wrong with it). */
  String submissionIdText() {
    return Fields.isText(submissionId, Submission.MAX_SUBMISSION_ID_LENGTH) ? (String) submissionId : null;
  }

  /** The hash that binds this body's idempotency key to it ({@link RequestHash}: as read, before validation). */
  String requestHash(Form form) {
    return RequestHash.of(form.id(), fields, consent, submittedAt);
  }

  Submission parse(Form form) {
    return Submission.parse(submissionId, submittedAt, fields, consent, form);
  }
}
