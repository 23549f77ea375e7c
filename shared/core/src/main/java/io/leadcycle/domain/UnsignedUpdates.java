package io.leadcycle.domain;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an unsigned submission (a visitor's browser, or anyone who knows the form's URL) may change on
 * a contact it matches. Anyone can type someone else's email into a public form, so by default such a
 * post only fills what is still empty. Signed submissions come from a server that holds the form's
 * secret and keep overwriting ({@link ContactDetails#updatedWith}).
 */
public enum UnsignedUpdates {
  /** Fill empty fields and attributes; never overwrite a filled one (the default). */
  FILL_EMPTY("fill_empty"),
  /** Overwrite like a signed submission, except the email's spelling, which an unsigned post never changes. */
  OVERWRITE("overwrite");

  public static final List<String> WIRE_NAMES = Arrays.stream(values()).map(UnsignedUpdates::wireName).toList();

  private final String wireName;

  UnsignedUpdates(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<UnsignedUpdates> fromWireName(String name) {
    return Arrays.stream(values()).filter(u -> u.wireName.equals(name)).findFirst();
  }

  /** The stored contact after an unsigned submission of {@code incoming}, as this setting allows. */
  public ContactDetails apply(ContactDetails stored, ContactDetails incoming) {
    ContactDetails updated = this == FILL_EMPTY ? stored.filledWith(incoming) : stored.updatedWith(incoming);
    // The email was typed by whoever posted: an existing spelling stays (an empty one is filled).
    String email = stored.email() != null ? stored.email() : updated.email();
    return new ContactDetails(email, updated.firstName(), updated.lastName(), updated.phone(), updated.companyName(),
        updated.jobTitle(), updated.country(), updated.attributes());
  }

  /** A lead's submitted fields after an unsigned submission of {@code incoming}, as this setting allows. */
  public Map<String, String> apply(Map<String, String> stored, Map<String, String> incoming) {
    Map<String, String> merged = new LinkedHashMap<>(stored);
    if (this == FILL_EMPTY) {
      incoming.forEach(merged::putIfAbsent);
    } else {
      incoming.forEach((field, value) -> {
        if (!field.equals("email") || !stored.containsKey("email")) {
          merged.put(field, value);
        }
      });
    }
    return merged;
  }
}
