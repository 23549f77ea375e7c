package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A user as an admin sends it: {@code POST /v1/users} {@code {name, email?, roles}}, or a patch of it
 * ({@code PATCH /v1/users/{id}}: the members sent change, {@code email: null} clears the email). One error
 * per fault: an empty name, an email that is not one, each role that is no role.
 */
public record UserInput(String name, boolean changesEmail, String email, List<String> roles) {

  public static final List<String> FIELDS = List.of("name", "email", "roles");
  public static final List<String> ROLES = List.of("marketing", "telemarketing", "sales", "sales_manager", "admin");
  public static final int MAX_NAME_LENGTH = 200;

  /** A new user: name and roles required (roles may be empty: a user waiting for a role). */
  public static UserInput parseNew(Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, FIELDS, "", errors);
    String name = Fields.requiredText(body, "name", MAX_NAME_LENGTH, errors);
    String email = email(body.get("email"), errors);
    List<String> roles = body.containsKey("roles") ? roles(body.get("roles"), errors) : null;
    if (roles == null && !body.containsKey("roles")) {
      errors.add(new FieldError("roles", "required: a list of roles, each one of " + String.join(", ", ROLES)));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new UserInput(name, true, email, roles);
  }

  /** A patch: absent members stay as they are. */
  public static UserInput parsePatch(Map<String, ?> body) {
    if (body.isEmpty()) {
      throw InvalidInput.ofBody("An empty patch changes nothing: send at least one of " + String.join(", ", FIELDS) + ".");
    }
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, FIELDS, "", errors);
    String name = body.containsKey("name") ? Fields.requiredText(body, "name", MAX_NAME_LENGTH, errors) : null;
    String email = email(body.get("email"), errors);
    List<String> roles = body.containsKey("roles") ? roles(body.get("roles"), errors) : null;
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new UserInput(name, body.containsKey("email"), email, roles);
  }

  private static String email(Object value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    String text = Fields.text("email", value, Submission.MAX_EMAIL_LENGTH, errors);
    if (text == null) {
      return null;
    }
    int before = errors.size();
    ContactFields.checkStandardField("email", "email", text, errors);
    return errors.size() > before ? null : Normalize.email(text);
  }

  private static List<String> roles(Object value, List<FieldError> errors) {
    if (!(value instanceof List<?> list)) {
      errors.add(new FieldError("roles", "must be a list of roles, each one of " + String.join(", ", ROLES)));
      return null;
    }
    Set<String> roles = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object role = list.get(i);
      if (role instanceof String name && ROLES.contains(name.strip().toLowerCase(Locale.ROOT))) {
        roles.add(name.strip().toLowerCase(Locale.ROOT));
      } else {
        errors.add(new FieldError("roles[" + i + "]", "unknown role " + (role instanceof String ? "\"" + role + "\"" : role)
            + "; one of " + String.join(", ", ROLES)));
      }
    }
    return List.copyOf(roles);
  }
}
