package io.leadcycle.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The records a page of leads refers to, asked for at once ({@code ids=<uuid>,<uuid>,...} on
 * {@code GET /v1/contacts} and {@code GET /v1/accounts}): 1 to {@value #MAX} distinct full UUIDs, in the order
 * given. A repeated id counts once, so a page whose leads share a contact can send its ids as they come.
 */
public record IdList(List<UUID> ids) {

  /** As many as the longest page of leads ({@code limit} 200). */
  public static final int MAX = 200;

  public IdList {
    ids = List.copyOf(ids);
  }

  /** {@code ids} as sent; null when absent. 400 naming {@code ids} when empty, malformed or too many. */
  public static IdList parse(String ids) {
    if (ids == null) {
      return null;
    }
    String what = "1 to " + MAX + " ids (full UUIDs), separated by commas";
    if (ids.isBlank()) {
      throw new InvalidInput("ids", what);
    }
    // Splitting with limit -1 keeps empty pieces ("a,,b", "a,"), which are then refused like any bad id.
    String[] pieces = ids.split(",", -1);
    if (pieces.length > MAX * 4) {
      throw new InvalidInput("ids", what); // far too many to be worth reading
    }
    Set<UUID> distinct = new LinkedHashSet<>();
    for (int i = 0; i < pieces.length; i++) {
      distinct.add(uuid(pieces[i], "ids", what + "; id " + (i + 1) + " is not one"));
    }
    if (distinct.size() > MAX) {
      throw new InvalidInput("ids", what + "; " + distinct.size() + " given");
    }
    return new IdList(new ArrayList<>(distinct));
  }

  /** {@code value} as a UUID, written in full; 400 naming {@code field} with {@code message} otherwise. */
  public static UUID uuid(String value, String field, String message) {
    // UUID.fromString takes short forms such as "1-2-3-4-5": only the canonical 36 characters count.
    if (value.length() != 36) {
      throw new InvalidInput(field, message);
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidInput(field, message);
    }
  }
}
