package io.leadcycle.domain;

import java.util.Objects;

/**
 * Where a consent change came from, kept with it in the contact's consent history: a submission to a form (marketing
 * page or event) or a LinkedIn Lead Gen form, or the consent a contact already had when the history began.
 *
 * @param kind {@link #FORM}, {@link #LINKEDIN_FORM} or {@link #MIGRATION}
 * @param id the form's id or the Lead Gen form's URN; null for the migration
 * @param submissionId the submission's key (the client's submissionId, else the webhook id) or the LinkedIn response
 *     URN; null for the migration
 * @param actor who recorded it ({@code intake})
 */
public record ConsentSource(String kind, String id, String submissionId, String actor) {

  public static final String FORM = "form";
  public static final String LINKEDIN_FORM = "linkedin_form";
  public static final String MIGRATION = "migration";

  public ConsentSource {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(actor, "actor");
  }

  public static ConsentSource form(String formId, String submissionId, String actor) {
    return new ConsentSource(FORM, formId, submissionId, actor);
  }

  public static ConsentSource linkedInForm(String formUrn, String responseUrn, String actor) {
    return new ConsentSource(LINKEDIN_FORM, formUrn, responseUrn, actor);
  }
}
