package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file import as requested ({@code POST /v1/imports}): what to create, the file's name, and how to read
 * it. Every member is checked here, before any file arrives; what depends on the file (its header) is
 * checked when it is read ({@link ImportColumns}).
 *
 * @param mapping column overrides: header (as in the file, compared without regard to case or surrounding
 *     spaces) → target; empty for the defaults only
 * @param contactStrategyId the contact matching strategy; null for the default one
 * @param contextId lead imports: the marketing context's id (null: the file name)
 * @param contextName lead imports: the marketing context's name (null: as the id)
 * @param attributesForUnknownColumns true: a column no default or override names becomes a contact
 *     attribute; false: it is ignored
 * @param accountMatching without an account column, how to link a contact's account from its own fields,
 *     as a form's account linking does ({@code off} by default)
 * @param sourceChoice the system the file was exported from: {@code auto} (recognised from its header, the
 *     default), {@code none} (the general headers only) or a source's id ({@link ImportSource})
 */
public record ImportRequest(ImportEntity entity, String fileName, Map<String, ImportTarget> mapping,
    String contactStrategyId, String contextId, String contextName, boolean attributesForUnknownColumns,
    AccountMatching accountMatching, String sourceChoice, String processId) {

  public static final List<String> FIELDS = List.of("entity", "fileName", "mapping", "contactStrategyId", "context",
      "unknownColumns", "accountMatching", "source", "processId");
  public static final List<String> CONTEXT_FIELDS = List.of("id", "name");
  public static final List<String> UNKNOWN_COLUMNS = List.of("attributes", "ignore");
  public static final int MAX_FILE_NAME_LENGTH = 200;
  public static final int MAX_MAPPED_COLUMNS = 200;

  public ImportRequest {
    mapping = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
    sourceChoice = sourceChoice == null ? ImportSource.AUTO : sourceChoice;
    processId = processId == null ? io.leadcycle.process.ProcessDefinition.DEFAULT_ID : processId;
  }

  /** The source the request names; null when it is to be recognised, or for none. */
  public ImportSource source() {
    return ImportSource.byId(sourceChoice).orElse(null);
  }

  /** Whether the source is to be recognised from the file's header. */
  public boolean recogniseSource() {
    return ImportSource.AUTO.equals(sourceChoice);
  }

  /** What the job stores of the request, to read the file by when it arrives. */
  public Map<String, Object> options() {
    Map<String, Object> mapped = new LinkedHashMap<>();
    mapping.forEach((header, target) -> mapped.put(header, target.wireName()));
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("mapping", mapped);
    options.put("unknownColumns", attributesForUnknownColumns ? "attributes" : "ignore");
    options.put("accountMatching", accountMatching.wireName());
    options.put("source", sourceChoice);
    if (entity == ImportEntity.LEADS) {
      Map<String, Object> context = new LinkedHashMap<>();
      context.put("id", contextId);
      context.put("name", contextName);
      options.put("context", context);
      options.put("processId", processId);
    }
    return options;
  }

  /** The marketing context of the leads an import creates: kind {@code import}. */
  public MarketingContext leadContext() {
    String id = contextId != null ? contextId : fileName;
    return new MarketingContext("import", id, contextName != null ? contextName : id);
  }

  /** Reads a request body; throws {@link InvalidInput} naming every fault. */
  public static ImportRequest parse(Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, FIELDS, "", errors);
    ImportEntity entity = Fields.requiredEnum(body, "entity", ImportEntity::fromWireName, ImportEntity.WIRE_NAMES, errors);
    String fileName = Fields.requiredText(body, "fileName", MAX_FILE_NAME_LENGTH, errors);
    Map<String, ImportTarget> mapping = mapping(body.get("mapping"), errors);
    String strategy = Fields.optionalText(body, "contactStrategyId", MAX_FILE_NAME_LENGTH, errors);
    String contextId = null;
    String contextName = null;
    Object context = body.get("context");
    if (context != null) {
      if (!(context instanceof Map<?, ?> map)) {
        errors.add(new FieldError("context", "must be an object {id?, name?}"));
      } else if (entity == ImportEntity.CONTACTS) {
        errors.add(new FieldError("context", "only for entity leads: the marketing context of the imported leads"));
      } else {
        @SuppressWarnings("unchecked")
        Map<String, ?> fields = (Map<String, ?>) map;
        List<FieldError> contextErrors = new ArrayList<>();
        Fields.rejectUnknown(fields, CONTEXT_FIELDS, "", contextErrors);
        contextId = Fields.optionalText(fields, "id", Submission.MAX_TEXT_LENGTH, contextErrors);
        contextName = Fields.optionalText(fields, "name", Submission.MAX_TEXT_LENGTH, contextErrors);
        contextErrors.forEach(e -> errors.add(new FieldError("context." + e.field(), e.message())));
      }
    }
    Object unknown = body.get("unknownColumns");
    if (unknown != null && !UNKNOWN_COLUMNS.contains(unknown)) {
      errors.add(new FieldError("unknownColumns", "must be one of: " + String.join(", ", UNKNOWN_COLUMNS)));
    }
    AccountMatching accountMatching = body.get("accountMatching") == null ? AccountMatching.OFF
        : Fields.requiredEnum(body, "accountMatching", AccountMatching::fromWireName, AccountMatching.WIRE_NAMES, errors);
    Object source = body.get("source");
    if (source != null && !ImportSource.CHOICES.contains(source)) {
      errors.add(new FieldError("source", "must be one of: " + String.join(", ", ImportSource.CHOICES)));
    }
    // Whether it names a live process is the caller's check (it needs the database).
    String processId = Fields.optionalText(body, "processId", 100, errors);
    if (processId != null && entity == ImportEntity.CONTACTS) {
      errors.add(new FieldError("processId", "only for entity leads: the process the imported leads run on"));
    }
    if (fileName != null && fileName.length() > MAX_FILE_NAME_LENGTH) {
      errors.add(new FieldError("fileName", "longer than " + MAX_FILE_NAME_LENGTH + " characters"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new ImportRequest(entity, fileName, mapping, strategy, contextId, contextName, !"ignore".equals(unknown),
        accountMatching, (String) source, processId);
  }

  /** Reads a stored request back ({@link #options()}). */
  public static ImportRequest ofStored(ImportEntity entity, String fileName, String contactStrategyId,
      Map<String, ?> options) {
    Map<String, ?> context = options.get("context") instanceof Map<?, ?> map ? cast(map) : Map.of();
    Map<String, ImportTarget> mapping = new LinkedHashMap<>();
    if (options.get("mapping") instanceof Map<?, ?> map) {
      map.forEach((header, target) -> ImportTarget.parse(String.valueOf(target))
          .ifPresent(t -> mapping.put(String.valueOf(header), t)));
    }
    return new ImportRequest(entity, fileName, mapping, contactStrategyId, (String) context.get("id"),
        (String) context.get("name"), !"ignore".equals(options.get("unknownColumns")),
        AccountMatching.fromWireName(String.valueOf(options.get("accountMatching"))).orElse(AccountMatching.OFF),
        options.get("source") instanceof String source ? source : ImportSource.AUTO,
        // A job stored before imports chose a process: the shipped one.
        options.get("processId") instanceof String processId ? processId : null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> cast(Map<?, ?> map) {
    return (Map<String, ?>) map;
  }

  private static Map<String, ImportTarget> mapping(Object raw, List<FieldError> errors) {
    Map<String, ImportTarget> mapping = new LinkedHashMap<>();
    if (raw == null) {
      return mapping;
    }
    if (!(raw instanceof Map<?, ?> map) || map.size() > MAX_MAPPED_COLUMNS) {
      errors.add(new FieldError("mapping", "must be an object of at most " + MAX_MAPPED_COLUMNS
          + " members: column header → " + ImportTarget.RULE));
      return mapping;
    }
    map.forEach((header, target) -> {
      String name = String.valueOf(header);
      if (name.isBlank() || name.length() > Submission.MAX_TEXT_LENGTH) {
        errors.add(new FieldError("mapping", "column headers are non-empty text of up to "
            + Submission.MAX_TEXT_LENGTH + " characters"));
        return;
      }
      ImportTarget parsed = target instanceof String text ? ImportTarget.parse(text).orElse(null) : null;
      if (parsed == null) {
        errors.add(new FieldError("mapping." + name, "must be " + ImportTarget.RULE));
      } else {
        mapping.put(name.strip(), parsed);
      }
    });
    return mapping;
  }
}
