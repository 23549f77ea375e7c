package io.leadcycle.domain;

import java.util.List;
import java.util.regex.Pattern;

/** The rules every way of writing a contact shares (intake, the management API): formats and lengths. */
public final class ContactFields {

  /**
   * Letters (with their marks) and digits of any script ({@code Straße}, {@code Größe_2}): people name
   * their fields in their language.
   */
  public static final String ATTRIBUTE_NAME_RULE =
      "field names start with a letter and use letters, digits, '_', '.', '-' (64 at most)";

  private static final Pattern EMAIL =
      Pattern.compile("^[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]+\\.[^@\\s.\\p{Cntrl}]+$");
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("^\\p{L}[\\p{L}\\p{M}\\p{Nd}_.-]{0,63}$");

  private ContactFields() {
  }

  public static boolean isAttributeName(String name) {
    return ATTRIBUTE_NAME.matcher(name).matches();
  }

  /** Checks one standard field's value ({@code name} is its wire name) and records what is wrong. */
  public static void checkStandardField(String path, String name, String value, List<FieldError> errors) {
    switch (name) {
      case "email" -> {
        if (value.length() > Submission.MAX_EMAIL_LENGTH) {
          errors.add(new FieldError(path, "longer than " + Submission.MAX_EMAIL_LENGTH + " characters"));
        } else if (!EMAIL.matcher(value).matches()) {
          errors.add(new FieldError(path, "not an email address"));
        }
      }
      case "phone" -> {
        if (value.length() > Submission.MAX_PHONE_LENGTH) {
          errors.add(new FieldError(path, "longer than " + Submission.MAX_PHONE_LENGTH + " characters"));
        } else if (Normalize.phone(value) == null) {
          errors.add(new FieldError(path, "a phone number needs digits"));
        }
      }
      default -> {
        if (value.length() > Submission.MAX_TEXT_LENGTH) {
          errors.add(new FieldError(path, "longer than " + Submission.MAX_TEXT_LENGTH + " characters"));
        }
      }
    }
  }
}
