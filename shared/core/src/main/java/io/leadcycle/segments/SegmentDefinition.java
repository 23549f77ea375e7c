package io.leadcycle.segments;

import java.util.List;
import java.util.UUID;

/**
 * A parsed segment definition: a tree of groups ({@code all}: every item holds; {@code any}: one does) whose
 * leaves are conditions on the contact or its account, and conditions over its related records (any/none of
 * its leads, opportunities or interactions matching their own conditions). Built only by
 * {@link SegmentParser}, so every field is from the whitelist and every value fits its operator.
 */
public final class SegmentDefinition {

  private SegmentDefinition() {
  }

  /** An item of a group. */
  public sealed interface Node permits Group, Condition, Related {
  }

  /** {@code {"all": [...]}} or {@code {"any": [...]}}. */
  public record Group(boolean all, List<Node> items) implements Node {
    public Group {
      items = List.copyOf(items);
    }
  }

  /**
   * One test of a field. {@code key}: the attribute key or consent purpose of a keyed field, else null.
   * {@code model}: the scoring model of a lead's score or grade, else null. {@code value}: a String, a
   * {@link java.math.BigDecimal}, a Boolean, a UUID, a Long (days), or a List of Strings, BigDecimals or UUIDs
   * for {@code in}; for {@code exists}, a Boolean.
   */
  public record Condition(SegmentField field, String key, UUID model, SegmentField.Op op, Object value)
      implements Node {
  }

  /**
   * {@code {"leads": "any"|"none", "where": [...], "atLeast"?: n}}: the contact has at least {@code atLeast}
   * (or no) records of that kind for which every {@code where} condition holds.
   */
  public record Related(SegmentField.Subject subject, boolean none, int atLeast, List<Condition> where)
      implements Node {
    public Related {
      where = List.copyOf(where);
    }
  }
}
