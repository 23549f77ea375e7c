package io.leadcycle.process;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.Fields;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What a lead records on its stages' fields ({@code set-fields}): values checked against the stage's menu, merged
 * into the lead's values, each change a timeline entry. A lead's values are kept by stage name, then field name
 * ({@code stageFields} on the lead); a field's value is JSON as its type has it (text, a number, true/false, one of
 * a choice's options, a date {@code YYYY-MM-DD}, a user's id).
 */
public final class StageFieldValues {

  /** A text field's longest value (as the qualification findings always took). */
  public static final int MAX_TEXT_LENGTH = 2000;
  public static final int MAX_LONG_TEXT_LENGTH = 20_000;

  private StageFieldValues() {
  }

  /**
   * The outcome of {@link #set}: the lead's values afterwards (every stage), one change per field that changed
   * ({@code stageFields.<stage>.<field>}, from, to, as text), and the user ids the values name, which the caller
   * checks exist.
   */
  public record Update(Map<String, Map<String, Object>> stageFields, List<Change> changes, Set<UUID> users) {
  }

  /** The fields of {@code stage} that must have a value before it completes and have none in {@code values}. */
  public static List<String> missingToComplete(StageDefinition stage, Map<String, Object> values) {
    return stage.fields().stream()
        .filter(StageField::requiredToComplete)
        .filter(f -> isEmpty(values == null ? null : values.get(f.name())))
        .map(StageField::name)
        .toList();
  }

  /**
   * Sets {@code rawFields} (a JSON object: field name → value, null clears) on {@code stageName}, which must be
   * the lead's stage or one before it in {@code process}.
   *
   * @throws InvalidInput naming each bad field ({@code fields.<name>}) or the stage
   * @throws ProcessConflict on a closed lead, or a stage the lead has not reached
   */
  public static Update set(ProcessVersion process, LeadState state, Map<String, Map<String, Object>> current,
      String stageName, Object rawFields) {
    if (state.status() != LeadStatus.OPEN) {
      throw new ProcessConflict("The lead is " + state.status().wireName() + "; a closed lead takes no more actions.");
    }
    if (stageName == null || stageName.isBlank()) {
      throw new InvalidInput("stage", "required: the stage whose fields these are, one of: "
          + String.join(", ", process.stageNames()));
    }
    StageDefinition stage = process.stage(stageName).orElseThrow(() -> new InvalidInput("stage", "process "
        + process.processId() + " has no stage " + stageName + "; one of: " + String.join(", ", process.stageNames())));
    int leadAt = process.indexOf(state.stage());
    if (leadAt < process.indexOf(stageName)) {
      throw new ProcessConflict("The lead is in " + state.stage() + "; the fields of " + stageName
          + " are set once it gets there (the current stage's and earlier stages' fields can be set).");
    }
    if (!(rawFields instanceof Map<?, ?> fields) || fields.isEmpty()) {
      throw new InvalidInput("fields", stage.fields().isEmpty() ? "the stage " + stageName + " has no fields"
          : "required: an object of field values, e.g. {\"" + stage.fields().get(0).name() + "\": …}; the stage's "
              + "fields: " + String.join(", ", stage.fields().stream().map(StageField::name).toList()));
    }
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> before = current.getOrDefault(stageName, Map.of());
    Map<String, Object> after = new LinkedHashMap<>(before);
    Set<UUID> users = new LinkedHashSet<>();
    for (Map.Entry<?, ?> entry : fields.entrySet()) {
      String name = String.valueOf(entry.getKey());
      String path = "fields." + name;
      StageField field = stage.fields().stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
      if (field == null) {
        errors.add(new FieldError(path, stage.fields().isEmpty() ? "the stage " + stageName + " has no fields"
            : "not a field of " + stageName + "; its fields: "
                + String.join(", ", stage.fields().stream().map(StageField::name).toList())));
        continue;
      }
      Object value = value(field, path, entry.getValue(), errors);
      if (value instanceof String userId && field.type() == FieldType.USER) {
        users.add(UUID.fromString(userId));
      }
      if (value == null) {
        after.remove(name);
      } else {
        after.put(name, value);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    List<Change> changes = new ArrayList<>();
    for (StageField field : stage.fields()) {
      Object from = before.get(field.name());
      Object to = after.get(field.name());
      if (!Objects.equals(text(from), text(to))) {
        changes.add(new Change("stageFields." + stageName + "." + field.name(), text(from), text(to)));
      }
    }
    Map<String, Map<String, Object>> all = new LinkedHashMap<>(current);
    if (after.isEmpty()) {
      all.remove(stageName);
    } else {
      all.put(stageName, after);
    }
    return new Update(all, changes, users);
  }

  /** The value as stored, or null to clear; an error (and null) when it does not fit the field's type. */
  private static Object value(StageField field, String path, Object raw, List<FieldError> errors) {
    if (raw == null) {
      return null;
    }
    switch (field.type()) {
      case TEXT, LONG_TEXT -> {
        if (raw instanceof String blank && blank.isBlank()) {
          return null; // an emptied box clears the field
        }
        int max = field.type() == FieldType.TEXT ? MAX_TEXT_LENGTH : MAX_LONG_TEXT_LENGTH;
        return Fields.text(path, raw, max, errors);
      }
      case NUMBER -> {
        if (raw instanceof Number n && Double.isFinite(n.doubleValue())) {
          return n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue()).stripTrailingZeros()
              : n;
        }
        errors.add(new FieldError(path, "must be a number"));
        return null;
      }
      case BOOLEAN -> {
        if (raw instanceof Boolean b) {
          return b;
        }
        errors.add(new FieldError(path, "must be true or false"));
        return null;
      }
      case CHOICE -> {
        if (raw instanceof String choice && field.options().contains(choice)) {
          return choice;
        }
        errors.add(new FieldError(path, "one of: " + String.join(", ", field.options())));
        return null;
      }
      case DATE -> {
        try {
          if (raw instanceof String date) {
            return LocalDate.parse(date).toString();
          }
        } catch (DateTimeParseException e) {
          // answered below
        }
        errors.add(new FieldError(path, "a date, YYYY-MM-DD"));
        return null;
      }
      case USER -> {
        try {
          if (raw instanceof String id) {
            UUID user = UUID.fromString(id);
            if (user.toString().equals(id.toLowerCase(java.util.Locale.ROOT))) {
              return user.toString();
            }
          }
        } catch (IllegalArgumentException e) {
          // answered below
        }
        errors.add(new FieldError(path, "a user's id (GET /v1/users)"));
        return null;
      }
      default -> throw new IllegalStateException("unknown field type " + field.type());
    }
  }

  private static boolean isEmpty(Object value) {
    return value == null || value instanceof String text && text.isBlank();
  }

  private static String text(Object value) {
    return value == null ? null : value instanceof BigDecimal d ? d.toPlainString() : value.toString();
  }
}
