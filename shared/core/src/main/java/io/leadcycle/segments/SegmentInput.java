package io.leadcycle.segments;

import java.util.Map;

/**
 * A segment as the API takes it ({@code POST/PUT /v1/segments}), validated. {@code definition} is null for a
 * static segment; {@code definitionBody} is the definition as sent (stored, and read back through
 * {@link SegmentParser#definition}); {@code models}: the scoring models its conditions name, by the path of
 * each {@code model} member, for the service to check that they exist (the parser does no I/O).
 */
public record SegmentInput(String name, Kind kind, String requiresConsent, SegmentDefinition.Group definition,
    Map<String, Object> definitionBody, Map<String, java.util.UUID> models) {

  public SegmentInput {
    models = models == null ? Map.of() : Map.copyOf(models);
  }

  /** A static segment: a name, no definition. */
  public static SegmentInput manual(String name) {
    return new SegmentInput(name, Kind.STATIC, null, null, null, null);
  }

  public enum Kind {
    DYNAMIC("dynamic"), STATIC("static");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Kind fromWireName(String name) {
      for (Kind kind : values()) {
        if (kind.wireName.equals(name)) {
          return kind;
        }
      }
      return null;
    }
  }

  /** A draft to preview ({@code POST /v1/segments/preview}): a definition and the consent it requires. */
  public record Draft(String requiresConsent, SegmentDefinition.Group definition, Map<String, java.util.UUID> models) {
    public Draft {
      models = Map.copyOf(models);
    }
  }
}
