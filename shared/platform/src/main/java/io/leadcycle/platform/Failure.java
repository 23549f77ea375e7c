package io.leadcycle.platform;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.runtime.KnownFailures;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionException;

/**
 * A failure of one invocation (or one queue message), classified once, here, for every trigger kind.
 * Handlers and services throw the domain's failures ({@link InvalidInput}, {@link NotFound},
 * {@link Conflict}, {@link Unavailable}); a database that cannot be reached, or that cancelled a
 * statement after {@code statement_timeout} or {@code lock_timeout}, counts as unavailable, and anything
 * else is a bug.
 */
public record Failure(FailureKind kind, String message, Throwable cause) {

  /** The resources' own failures (the database's), from the modules on the class path. */
  private static final List<KnownFailures> KNOWN = ServiceLoader.load(KnownFailures.class, Failure.class.getClassLoader())
      .stream().map(ServiceLoader.Provider::get).toList();

  /** An exception that knows its own kind (the HTTP layer's problems). */
  public interface Classified {
    FailureKind failureKind();
  }

  public static Failure of(Throwable thrown) {
    Throwable t = unwrap(thrown);
    FailureKind kind;
    if (t instanceof Classified classified) {
      kind = classified.failureKind();
    } else if (t instanceof InvalidInput) {
      kind = FailureKind.INVALID_INPUT;
    } else if (t instanceof NotFound) {
      kind = FailureKind.NOT_FOUND;
    } else if (t instanceof Conflict) {
      kind = FailureKind.CONFLICT;
    } else if (t instanceof Unavailable || KNOWN.stream().anyMatch(known -> known.isUnavailable(t))) {
      // An aborted transaction was already retried once by Database; another try later may well pass. So may
      // work that PostgreSQL cancelled after statement_timeout or lock_timeout (rolled back, nothing written).
      kind = FailureKind.UNAVAILABLE;
    } else {
      kind = FailureKind.BUG;
    }
    String timeout = timeoutSetting(t);
    String message = kind == FailureKind.BUG ? t.getClass().getName() + ": " + t.getMessage()
        // Our own words, not the server's: nothing of the statement or its values reaches the log.
        : timeout != null && !(t instanceof Unavailable) ? "PostgreSQL cancelled a statement after its " + timeout
        : t.getMessage();
    return new Failure(kind, message, t);
  }

  /**
   * The PostgreSQL setting that cancelled the work ({@code statement_timeout} or {@code lock_timeout}),
   * or null when no timeout did.
   */
  public String timeout() {
    return timeoutSetting(cause);
  }

  /** The SQLSTATE of the PostgreSQL error behind this failure, or null. */
  public String sqlState() {
    return KNOWN.stream().map(known -> known.sqlState(cause)).filter(Objects::nonNull).findFirst().orElse(null);
  }

  /**
   * For an unavailable failure, what the caller is told: the resource's advice in our words ("the database
   * is not reachable right now; retry later"), or the failure's own message.
   */
  public String advice() {
    return KNOWN.stream().filter(known -> known.isUnavailable(cause)).map(known -> known.advice(cause))
        .findFirst().orElse(message);
  }

  private static String timeoutSetting(Throwable t) {
    return KNOWN.stream().map(known -> known.timeoutSetting(t)).filter(Objects::nonNull).findFirst().orElse(null);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
