package io.leadcycle.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * A form is a marketing (landing) page or an event; each submits its own interaction type. A LinkedIn
 * Lead Gen form runs the same intake path with its own kind, but is configured as a LinkedIn form
 * mapping, never through {@code PUT /v1/forms} ({@link #isPageOrEvent}).
 */
public enum FormKind {
  MARKETING_PAGE("marketing_page", InteractionType.FORM_SUBMITTED),
  EVENT("event", InteractionType.EVENT_REGISTERED),
  LINKEDIN_FORM("linkedin_form", InteractionType.LINKEDIN_FORM_SUBMITTED);

  private final String wireName;
  private final InteractionType interactionType;

  FormKind(String wireName, InteractionType interactionType) {
    this.wireName = wireName;
    this.interactionType = interactionType;
  }

  public String wireName() {
    return wireName;
  }

  /** The interaction a submission to this kind of form records. */
  public InteractionType interactionType() {
    return interactionType;
  }

  /** The marketing-context kind of leads created by this kind of form (the same wire name). */
  public String contextKind() {
    return wireName;
  }

  /** Whether a form of this kind is a marketing page or an event, the kinds {@code PUT /v1/forms} takes. */
  public boolean isPageOrEvent() {
    return this != LINKEDIN_FORM;
  }

  public static Optional<FormKind> fromWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
  }
}
