package io.leadcycle.functions.formintake;

import io.leadcycle.domain.Form;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Forms read in the last few seconds. A busy landing page sends many submissions a second, and each
 * would otherwise pay a pool checkout and a three-table join before its transaction; the intake
 * benchmark measured that lookup as a large share of the work. A change made through this handler
 * applies at once; one made through another execution environment applies within the time to live.
 * Unknown forms are not remembered, so a form created elsewhere is found on its first submission.
 */
final class RecentForms {

  static final Duration TIME_TO_LIVE = Duration.ofSeconds(10);
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(Form form, Instant expires) {
  }

  private final Duration timeToLive;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  RecentForms(Duration timeToLive) {
    this.timeToLive = timeToLive;
  }

  /** The form, from memory while fresh, else from {@code load} (null when it does not exist). */
  Form get(String formId, Instant now, Supplier<Form> load) {
    Entry entry = entries.get(formId);
    if (entry != null && now.isBefore(entry.expires())) {
      return entry.form();
    }
    Form form = load.get();
    if (form != null) {
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear(); // crude bound: a cache of recent forms, not a store
      }
      entries.put(formId, new Entry(form, now.plus(timeToLive)));
    } else {
      entries.remove(formId);
    }
    return form;
  }

  void forget(String formId) {
    entries.remove(formId);
  }
}
