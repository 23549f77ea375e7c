package io.leadcycle.process;

import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.Fields;
import io.leadcycle.domain.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The actions of {@code POST /v1/leads/{id}/process} that work with the lead's own process: {@code complete-stage
 * {reason?}}, {@code set-fields {stage, fields}} and {@code switch-process {processId, reason}} (each may name its
 * {@code actor}). The other actions are {@link ProcessRequest}s.
 *
 * @param name the action's wire name
 * @param fields the {@code set-fields} values as sent (checked against the stage's menu by {@link StageFieldValues})
 */
public record StageAction(String name, String reason, String stage, Object fields, String processId) {

  public static final String COMPLETE_STAGE = ProcessMachine.COMPLETE_STAGE;
  public static final String SET_FIELDS = "set-fields";
  public static final String SWITCH_PROCESS = ProcessMachine.SWITCH_PROCESS;

  public static final List<String> NAMES = List.of(COMPLETE_STAGE, SET_FIELDS, SWITCH_PROCESS);

  private static final Map<String, List<String>> MEMBERS = Map.of(
      COMPLETE_STAGE, List.of("action", "reason", "actor"),
      SET_FIELDS, List.of("action", "stage", "fields", "actor"),
      SWITCH_PROCESS, List.of("action", "processId", "reason", "actor"));

  private static final int MAX_REASON_LENGTH = 2000;
  private static final int MAX_NAME_LENGTH = 100;

  public static boolean isStageAction(Object action) {
    return action instanceof String name && NAMES.contains(name);
  }

  /** One of the three actions with its members; 400 naming each unknown or malformed member. */
  public static StageAction parse(Map<String, ?> body) {
    String name = (String) body.get("action");
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, MEMBERS.get(name), "", errors);
    String reason = Fields.optionalText(body, "reason", MAX_REASON_LENGTH, errors);
    String stage = null;
    String processId = null;
    if (name.equals(SET_FIELDS)) {
      stage = Fields.requiredText(body, "stage", MAX_NAME_LENGTH, errors);
      if (!(body.get("fields") instanceof Map<?, ?>)) {
        errors.add(new FieldError("fields", "required: an object of the stage's field values, e.g. "
            + "{\"budget\": \"50k\"} (null clears a value)"));
      }
    }
    if (name.equals(SWITCH_PROCESS)) {
      processId = Fields.requiredText(body, "processId", MAX_NAME_LENGTH, errors);
      if (reason == null && errors.stream().noneMatch(e -> e.field().equals("reason"))) {
        errors.add(new FieldError("reason", "required: say why, it is kept on the lead's timeline"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new StageAction(name, reason, stage, body.get("fields"), processId);
  }
}
