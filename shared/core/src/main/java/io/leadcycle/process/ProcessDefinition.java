package io.leadcycle.process;

import io.leadcycle.domain.LeadPatch;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A business process as the marketing team writes it ({@code POST /v1/processes}), validated: its name and
 * its ordered stages, each with a role and the fields worked there. docs/lead-process.md says what each may
 * hold and mean.
 *
 * <p>The rules speak of roles ({@link StageRole}); a stage with role {@code custom} is one the rules do not
 * touch. Every process has an {@code inquiry} stage, first (where new leads enter), and a
 * {@code sales_acceptance} stage (where sales-ready leads go); the other built-in roles are optional, and
 * each built-in role names at most one stage.
 */
public record ProcessDefinition(String name, List<StageDefinition> stages) {

  /** The id of the shipped process, which is served read-only. */
  public static final String DEFAULT_ID = "default";

  /** The built-in roles every process must have a stage for: the rules cannot run without them. */
  public static final List<StageRole> REQUIRED_ROLES = List.of(StageRole.INQUIRY, StageRole.SALES_ACCEPTANCE);

  /** What a custom stage's role is called on the wire. */
  public static final String CUSTOM_ROLE = "custom";

  private static final Map<StageRole, String> ROLE_NAMES = new EnumMap<>(Map.of(
      StageRole.INQUIRY, "inquiry",
      StageRole.AUTOMATED_QUALIFICATION, "automated_marketing_qualification",
      StageRole.TELEMARKETING_ACCEPTANCE, "telemarketing_acceptance",
      StageRole.TELEMARKETING_QUALIFICATION, "telemarketing_qualification",
      StageRole.SALES_ACCEPTANCE, "sales_acceptance"));

  /**
   * The shipped process as a definition: the five stages of the product description, and on its
   * telemarketing-qualification stage the qualification findings {@code PATCH /v1/leads/{id}} records
   * (free text; notes the long one). None is required: a lead moves on without them.
   */
  public static final ProcessDefinition DEFAULT = new ProcessDefinition("Default lead process", List.of(
      new StageDefinition("inquiry", StageRole.INQUIRY, List.of()),
      new StageDefinition("automated_marketing_qualification", StageRole.AUTOMATED_QUALIFICATION, List.of()),
      new StageDefinition("telemarketing_acceptance", StageRole.TELEMARKETING_ACCEPTANCE, List.of()),
      new StageDefinition("telemarketing_qualification", StageRole.TELEMARKETING_QUALIFICATION,
          qualificationFields()),
      new StageDefinition("sales_acceptance", StageRole.SALES_ACCEPTANCE, List.of())));

  public ProcessDefinition {
    stages = List.copyOf(stages);
  }

  private static List<StageField> qualificationFields() {
    return LeadPatch.QUALIFICATION_FIELDS.stream().map(name -> new StageField(name,
        name.equals("notes") ? FieldType.LONG_TEXT : FieldType.TEXT, List.of(), false)).toList();
  }

  /**
   * Validates a process body; the {@link io.leadcycle.domain.InvalidInput} names every fault, one entry each,
   * with its path ({@code stages[2].role}, {@code stages[1].fields[0].options}).
   */
  public static ProcessDefinition parse(Map<String, ?> body) {
    return ProcessParser.parse(body);
  }

  /** The role as the API writes it; null (a custom stage) is {@code custom}. */
  public static String roleName(StageRole role) {
    return role == null ? CUSTOM_ROLE : ROLE_NAMES.get(role);
  }

  /** The built-in role with this wire name; empty for {@code custom} and for names that are no role. */
  public static Optional<StageRole> builtInRole(String name) {
    return ROLE_NAMES.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst();
  }

  /** Every role's wire name, the built-in ones in lifecycle order, then {@code custom}. */
  public static List<String> roleNames() {
    List<String> names = new ArrayList<>(ROLE_NAMES.values());
    names.add(CUSTOM_ROLE);
    return names;
  }

  /** The definition as the API shows it and {@link #parse} reads it back (stored as such). */
  public Map<String, Object> toBody() {
    List<Object> stageBodies = new ArrayList<>();
    for (StageDefinition stage : stages) {
      List<Object> fieldBodies = new ArrayList<>();
      for (StageField field : stage.fields()) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", field.name());
        f.put("type", field.type().wireName());
        if (field.type() == FieldType.CHOICE) {
          f.put("options", new ArrayList<>(field.options()));
        }
        f.put("requiredToComplete", field.requiredToComplete());
        fieldBodies.add(f);
      }
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", stage.name());
      s.put("role", stage.roleName());
      s.put("fields", fieldBodies);
      stageBodies.add(s);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("stages", stageBodies);
    return body;
  }
}
