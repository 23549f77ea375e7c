package io.leadcycle.segments;

import java.util.Map;

/**
 * A segment as the API takes it ({@code POST/PUT /v1/segments}), validated. {@code definition} is null for a
 * static segment; {@code definitionBody} is the definition as sent (stored, and read back through
 * {@link SegmentParser#definition}).
 */
public record SegmentInput(String name, Kind kind, String requiresConsent, SegmentDefinition.Group definition,
    Map<String, Object> definitionBody) {

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
  public record Draft(String requiresConsent, SegmentDefinition.Group definition) {
  }
}
