package io.leadcycle.domain;

import java.util.Arrays;
import java.util.Optional;

/** A form is a marketing (landing) page or an event; each submits its own interaction type. */
public enum FormKind {
  MARKETING_PAGE("marketing_page", InteractionType.FORM_SUBMITTED),
  EVENT("event", InteractionType.EVENT_REGISTERED);

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

  public static Optional<FormKind> fromWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
  }
}
