package io.leadcycle.process;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.Fields;
import io.leadcycle.domain.InvalidInput;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a process body ({@link ProcessDefinition#parse}): every fault is recorded, one {@link FieldError}
 * each with its path ({@code stages[2].role}, {@code stages[1].fields[0].options}), and thrown together.
 */
final class ProcessParser {

  static final List<String> PROCESS_MEMBERS = List.of("name", "stages");
  static final List<String> STAGE_MEMBERS = List.of("name", "role", "fields");
  static final List<String> FIELD_MEMBERS = List.of("name", "type", "options", "requiredToComplete");

  static final int MAX_NAME_LENGTH = 200;
  static final int MAX_STAGES = 20;
  static final int MAX_STAGE_NAME_LENGTH = 100;
  static final int MAX_FIELDS = 50;
  static final int MAX_FIELD_NAME_LENGTH = 100;
  static final int MAX_OPTIONS = 100;
  static final int MAX_OPTION_LENGTH = 200;

  private final List<FieldError> errors = new ArrayList<>();

  private ProcessParser() {
  }

  static ProcessDefinition parse(Map<String, ?> body) {
    if (body == null) {
      throw InvalidInput.ofBody("Send a process: a JSON object with " + String.join(", ", PROCESS_MEMBERS) + ".");
    }
    return new ProcessParser().process(body);
  }

  private ProcessDefinition process(Map<String, ?> body) {
    Fields.rejectUnknown(body, PROCESS_MEMBERS, "", errors);
    String name = Fields.requiredText(body, "name", "name", MAX_NAME_LENGTH, errors);
    List<StageDefinition> stages = stages(body.get("stages"));
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new ProcessDefinition(name, stages);
  }

  private List<StageDefinition> stages(Object raw) {
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      errors.add(new FieldError("stages", "required: a list of 1 to " + MAX_STAGES + " stages, in order"));
      return List.of();
    }
    if (list.size() > MAX_STAGES) {
      errors.add(new FieldError("stages", "at most " + MAX_STAGES + " stages; this has " + list.size()));
      return List.of();
    }
    List<StageDefinition> stages = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    Map<StageRole, Integer> roles = new EnumMap<>(StageRole.class);
    boolean rolesReadable = true;
    for (int i = 0; i < list.size(); i++) {
      String path = "stages[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> stage)) {
        errors.add(new FieldError(path, "must be an object: {name, role, fields}"));
        rolesReadable = false;
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> members = (Map<String, ?>) stage;
      Fields.rejectUnknown(members, STAGE_MEMBERS, path + ".", errors);
      String name = Fields.requiredText(members, "name", path + ".name", MAX_STAGE_NAME_LENGTH, errors);
      // Names differing only in case would read as one stage in views and filters.
      if (name != null) {
        Integer first = names.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
        if (first != null) {
          errors.add(new FieldError(path + ".name", "stages[" + first + "] is already called \"" + name
              + "\": stage names must differ"));
        }
      }
      StageRole role = null;
      Object rawRole = members.get("role");
      if (!(rawRole instanceof String roleName) || !ProcessDefinition.roleNames().contains(roleName)) {
        errors.add(new FieldError(path + ".role", (rawRole == null ? "required, one of: " : "must be one of: ")
            + String.join(", ", ProcessDefinition.roleNames())));
        rolesReadable = false;
      } else {
        role = ProcessDefinition.builtInRole(roleName).orElse(null);
        if (role != null) {
          Integer first = roles.putIfAbsent(role, i);
          if (first != null) {
            errors.add(new FieldError(path + ".role", "stages[" + first + "] already has the role " + roleName
                + ": each built-in role names at most one stage (use custom for more)"));
          }
        }
      }
      stages.add(new StageDefinition(name, role, fields(path, members.get("fields"))));
    }
    // Missing roles are only judged when every stage's role could be read: one fault, one error.
    if (rolesReadable) {
      for (StageRole required : ProcessDefinition.REQUIRED_ROLES) {
        if (!roles.containsKey(required)) {
          errors.add(new FieldError("stages", "needs a stage with the role " + ProcessDefinition.roleName(required)
              + (required == StageRole.INQUIRY ? " (where new leads enter)" : " (where sales-ready leads go)")));
        }
      }
      Integer inquiry = roles.get(StageRole.INQUIRY);
      if (inquiry != null && inquiry != 0) {
        errors.add(new FieldError("stages[" + inquiry + "].role", "the inquiry stage comes first: new leads "
            + "enter the process there"));
      }
      lifecycleOrder(roles);
      if (roles.containsKey(StageRole.TELEMARKETING_ACCEPTANCE)
          && !roles.containsKey(StageRole.TELEMARKETING_QUALIFICATION)) {
        errors.add(new FieldError("stages[" + roles.get(StageRole.TELEMARKETING_ACCEPTANCE) + "].role",
            "a telemarketing_acceptance stage needs a telemarketing_qualification stage: accepting a lead moves "
                + "it there"));
      }
    }
    return stages;
  }

  /**
   * The built-in roles keep the lifecycle's order (custom stages go anywhere after inquiry): the rules and
   * "complete stage" move a lead forward through the list, never back into an earlier role. One error for the
   * first role found out of order (inquiry's place has its own).
   */
  private void lifecycleOrder(Map<StageRole, Integer> roles) {
    StageRole latest = null;
    for (StageRole role : StageRole.values()) {
      Integer index = roles.get(role);
      if (index == null || role == StageRole.INQUIRY) {
        continue;
      }
      if (latest != null && index < roles.get(latest)) {
        errors.add(new FieldError("stages[" + index + "].role", ProcessDefinition.roleName(role) + " comes after "
            + ProcessDefinition.roleName(latest) + " (stages[" + roles.get(latest) + "]): the built-in roles keep the "
            + "lifecycle order " + String.join(", ", ProcessDefinition.roleNames().subList(0, 5))));
        return;
      }
      latest = role;
    }
  }

  private List<StageField> fields(String stagePath, Object raw) {
    String path = stagePath + ".fields";
    if (raw == null) {
      return List.of(); // a stage with nothing to record
    }
    if (!(raw instanceof List<?> list)) {
      errors.add(new FieldError(path, "must be a list of fields: {name, type, options?, requiredToComplete?}"));
      return List.of();
    }
    if (list.size() > MAX_FIELDS) {
      errors.add(new FieldError(path, "at most " + MAX_FIELDS + " fields on a stage; this has " + list.size()));
      return List.of();
    }
    List<StageField> fields = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String fieldPath = path + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> field)) {
        errors.add(new FieldError(fieldPath, "must be an object: {name, type, options?, requiredToComplete?}"));
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> members = (Map<String, ?>) field;
      Fields.rejectUnknown(members, FIELD_MEMBERS, fieldPath + ".", errors);
      String name = Fields.requiredText(members, "name", fieldPath + ".name", MAX_FIELD_NAME_LENGTH, errors);
      if (name != null) {
        Integer first = names.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
        if (first != null) {
          errors.add(new FieldError(fieldPath + ".name", path + "[" + first + "] is already called \"" + name
              + "\": field names on a stage must differ"));
        }
      }
      Object rawType = members.get("type");
      FieldType type = rawType instanceof String t ? FieldType.fromWireName(t).orElse(null) : null;
      if (type == null) {
        errors.add(new FieldError(fieldPath + ".type", (rawType == null ? "required, one of: " : "must be one of: ")
            + String.join(", ", FieldType.wireNames())));
      }
      List<String> options = options(fieldPath + ".options", members.get("options"), type);
      boolean required = false;
      Object rawRequired = members.get("requiredToComplete");
      if (rawRequired instanceof Boolean b) {
        required = b;
      } else if (rawRequired != null) {
        errors.add(new FieldError(fieldPath + ".requiredToComplete", "must be true or false"));
      }
      fields.add(new StageField(name, type, options, required));
    }
    return fields;
  }

  /** A choice field's options: required there, refused on every other type (the type is null when unreadable). */
  private List<String> options(String path, Object raw, FieldType type) {
    if (type != FieldType.CHOICE) {
      if (raw != null && type != null) {
        errors.add(new FieldError(path, "only a choice field has options; this one is " + type.wireName()));
      }
      return List.of();
    }
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      errors.add(new FieldError(path, "a choice field needs options: a list of 1 to " + MAX_OPTIONS + " texts"));
      return List.of();
    }
    if (list.size() > MAX_OPTIONS) {
      errors.add(new FieldError(path, "at most " + MAX_OPTIONS + " options; this has " + list.size()));
      return List.of();
    }
    List<String> options = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String option = Fields.text(path + "[" + i + "]", list.get(i), MAX_OPTION_LENGTH, errors);
      if (option == null) {
        continue;
      }
      if (options.contains(option)) {
        errors.add(new FieldError(path + "[" + i + "]", "\"" + option + "\" is already an option"));
      } else {
        options.add(option);
      }
    }
    return options;
  }
}
