package io.leadcycle.local;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The local server's settings, read from its environment: a wrong value stops the start with its name. */
final class LocalSettings {

  private LocalSettings() {
  }

  /** Where the local server keeps its embedded database, buckets, uploads and token. */
  static Path dataDirectory(Map<String, String> env) {
    return Path.of(env.getOrDefault("LEADCYCLE_DATA_DIR", ".leadcycle")).toAbsolutePath();
  }

  /** A whole number, {@code defaultValue} when unset or blank. */
  static int setting(Map<String, String> env, String name, int defaultValue) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name + " must be a whole number, not " + value);
    }
  }

  /** A whole number of 1 or more, {@code defaultValue} when unset or blank. */
  static int positive(Map<String, String> env, String name, int defaultValue) {
    int value = setting(env, name, defaultValue);
    if (value < 1) {
      throw new IllegalStateException(name + " must be 1 or more, not " + value);
    }
    return value;
  }

  /** {@code lead-management} → {@code LEAD_MANAGEMENT}, for per-function settings. */
  static String variable(String functionName) {
    return functionName.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
