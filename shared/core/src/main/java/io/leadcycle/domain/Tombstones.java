package io.leadcycle.domain;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a tombstone of an erased person (docs/privacy.md) does to something that arrives: a replay of a
 * submission or webhook seen before the erasure is refused; the person again (their email or phone hashes to
 * a tombstone) is refused unless the submission brings a fresh consent, which creates them afresh.
 */
public final class Tombstones {

  /**
   * The texts that grant a consent: only these do (an allow-list), so an unforeseen value ("off", "n", "none")
   * never lifts a tombstone.
   */
  private static final Set<String> GRANTED = Set.of("true", "yes", "y", "on", "1", "granted", "given", "accepted",
      "opt-in", "opt_in", "opted_in", "opted-in");

  private Tombstones() {
  }

  /**
   * Why a submission must be refused, or null when it may go on.
   *
   * @param replayOf the erasure whose kept ids include this submission's id, or null
   * @param erasedAs the erasure whose hashes this submission's email or phone matches, or null
   * @param consent the consent the submission carries, or null
   */
  public static Erased refusal(UUID replayOf, UUID erasedAs, Map<String, Object> consent) {
    if (replayOf != null) {
      return new Erased("Refused: this submission (its id) was seen before the person it names was erased "
          + "(erasure " + replayOf + "); a replay does not create them again.", replayOf);
    }
    if (erasedAs != null && !grantsConsent(consent)) {
      return new Erased("Refused: the person this submission names was erased (erasure " + erasedAs + "); only a "
          + "new submission with a fresh consent (a consent object granting a purpose) creates them again.", erasedAs);
    }
    return null;
  }

  /** The reason an import row of an erased person is refused with (no cell values are kept for it). */
  public static String importRowRefusal(UUID erasureId) {
    return "refused: the person this row names was erased (erasure " + erasureId + "); an import does not create "
        + "them again";
  }

  /** Whether {@code consent} grants at least one purpose ({@code true}, {@code "yes"}, {@code {granted: true}}). */
  public static boolean grantsConsent(Map<String, Object> consent) {
    if (consent == null) {
      return false;
    }
    for (Object value : consent.values()) {
      if (grants(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean grants(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Map<?, ?> map) {
      Object granted = map.containsKey("granted") ? map.get("granted") : map.get("value");
      return granted != null && grants(granted);
    }
    if (value instanceof Number number) {
      return number.doubleValue() == 1;
    }
    return value instanceof String text && GRANTED.contains(text.strip().toLowerCase(Locale.ROOT));
  }
}
