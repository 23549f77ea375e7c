package io.leadcycle.domain;

/** The scorable facts about a contact. */
public enum InteractionType {
  EMAIL_OPENED("email_opened"),
  EMAIL_CLICKED("email_clicked"),
  FORM_SUBMITTED("form_submitted"),
  WEBSITE_VISITED("website_visited"),
  EVENT_REGISTERED("event_registered"),
  EVENT_ATTENDED("event_attended"),
  LINKEDIN_FORM_SUBMITTED("linkedin_form_submitted");

  private final String wireName;

  InteractionType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
