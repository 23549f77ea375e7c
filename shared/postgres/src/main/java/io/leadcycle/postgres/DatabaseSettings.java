package io.leadcycle.postgres;

import io.leadcycle.aws.SecretsManagerSecrets;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the database is and how to log in, read from environment variables:
 * <ul>
 *   <li>{@code DATABASE_URL} ({@code postgresql://user:password@host:5432/db?sslmode=require}), or</li>
 *   <li>{@code DB_HOST}, {@code DB_PORT} (5432), {@code DB_NAME}, {@code DB_USER} and either
 *       {@code DB_PASSWORD} or {@code DB_SECRET_ID} (a Secrets Manager secret holding
 *       {@code {"username","password"}}, as RDS writes it);</li>
 *   <li>{@code DB_SSL_MODE}: {@code disable}, {@code prefer} (default), {@code require} or {@code verify-full};
 *       {@code DB_POOL_SIZE} (2). {@code require} checks the server's certificate chain, {@code verify-full}
 *       also that it names the host; both against the JDK's trust store, or only against the PEM bundle
 *       {@code DB_SSL_ROOT_CERT} names (a path; {@code sslrootcert=} in the URL). {@code prefer} encrypts
 *       when the server offers TLS but authenticates nothing: local use only (docs/deployment.md).</li>
 *   <li>{@code DB_PREPARED_STATEMENTS} ({@code true}): cache named prepared statements per connection.
 *       Turn it off behind RDS Proxy, where named statements pin sessions.</li>
 *   <li>{@code DB_STATEMENT_TIMEOUT_MS} (10000) and {@code DB_LOCK_TIMEOUT_MS} (5000): PostgreSQL's
 *       {@code statement_timeout} and {@code lock_timeout} for every connection (0 turns one off);
 *       {@code DB_TIMEOUTS_IN_STARTUP} ({@code true}) sends them in each connection's startup message.
 *       Turn it off behind RDS Proxy, which refuses startup parameters it does not know: there the
 *       login role carries them ({@code ALTER ROLE ... SET}, docs/deployment.md).</li>
 * </ul>
 */
public record DatabaseSettings(String host, int port, String database, String user, String password, String sslMode,
    int poolSize, boolean preparedStatements, Timeouts timeouts, String sslRootCert) {

  /**
   * How long one statement may run and how long it may wait for a lock before PostgreSQL cancels it
   * (SQLSTATE 57014 and 55P03, which the functions answer as unavailable: 503, or a redelivered
   * message). Zero means no limit, as in PostgreSQL.
   *
   * @param inStartup sent in the startup message of each connection; false where the server (the login
   *     role's defaults) sets them, as behind RDS Proxy
   */
  public record Timeouts(int statementMillis, int lockMillis, boolean inStartup) {

    public static final Timeouts DEFAULT = new Timeouts(10_000, 5_000, true);

    public Timeouts {
      if (statementMillis < 0 || lockMillis < 0) {
        throw new IllegalArgumentException("timeouts are zero (none) or positive milliseconds");
      }
    }

    @Override
    public String toString() {
      return "statement_timeout=" + statementMillis + "ms, lock_timeout=" + lockMillis + "ms"
          + (inStartup ? "" : " (set by the server, not sent)");
    }
  }

  /** Settings with prepared-statement caching on and the default timeouts. */
  public DatabaseSettings(String host, int port, String database, String user, String password, String sslMode,
      int poolSize) {
    this(host, port, database, user, password, sslMode, poolSize, true, Timeouts.DEFAULT);
  }

  /** Settings whose server certificate is checked against the JDK's trust store (no {@code DB_SSL_ROOT_CERT}). */
  public DatabaseSettings(String host, int port, String database, String user, String password, String sslMode,
      int poolSize, boolean preparedStatements, Timeouts timeouts) {
    this(host, port, database, user, password, sslMode, poolSize, preparedStatements, timeouts, null);
  }

  public DatabaseSettings {
    java.util.Objects.requireNonNull(timeouts, "timeouts");
    if (sslRootCert != null && !(sslMode.equals("require") || sslMode.equals("verify-full"))) {
      throw new IllegalStateException("DB_SSL_ROOT_CERT / sslrootcert is used only with DB_SSL_MODE require or "
          + "verify-full, not " + sslMode);
    }
  }

  @Override
  public String toString() {
    // Never print the password.
    return "DatabaseSettings[" + user + "@" + host + ":" + port + "/" + database + ", sslmode=" + sslMode
        + (sslRootCert == null ? "" : ", sslrootcert=" + sslRootCert) + ", pool=" + poolSize + ", preparedStatements=" + preparedStatements + ", " + timeouts + "]";
  }

  public DatabaseSettings withPoolSize(int size) {
    return new DatabaseSettings(host, port, database, user, password, sslMode, size, preparedStatements, timeouts,
        sslRootCert);
  }

  public DatabaseSettings withTimeouts(Timeouts newTimeouts) {
    return new DatabaseSettings(host, port, database, user, password, sslMode, poolSize, preparedStatements,
        newTimeouts, sslRootCert);
  }

  /** True when the environment names a database (otherwise the local server starts an embedded one). */
  public static boolean configured(Map<String, String> env) {
    return blankToNull(env.get("DATABASE_URL")) != null || blankToNull(env.get("DB_HOST")) != null;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?" + jdbcSslParameters();
  }

  /**
   * The same TLS as the pool's, in the words of the JDBC driver (the migration step): its {@code require}
   * checks nothing, so ours is its {@code verify-ca}; the JDK's trust store is its
   * {@code DefaultJavaSSLFactory} (its own default reads {@code ~/.postgresql/root.crt}), a bundle of
   * our own its {@code sslrootcert}.
   */
  public String jdbcSslParameters() {
    String trust = sslRootCert == null ? "sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory"
        : "sslrootcert=" + URLEncoder.encode(sslRootCert, StandardCharsets.UTF_8);
    return switch (sslMode) {
      case "require" -> "sslmode=verify-ca&" + trust;
      case "verify-full" -> "sslmode=verify-full&" + trust;
      default -> "sslmode=" + sslMode;
    };
  }

  /** Reads the settings; a {@code DB_SECRET_ID} is read from Secrets Manager (the only case that builds its client). */
  public static DatabaseSettings fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, secretId -> SecretsManagerSecrets.fromEnvironment().apply(secretId));
  }

  /** Reads the settings; {@code secrets} resolves a Secrets Manager secret id to its JSON text. */
  public static DatabaseSettings fromEnvironment(Map<String, String> env, Function<String, String> secrets) {
    int poolSize = Integer.parseInt(env.getOrDefault("DB_POOL_SIZE", "2"));
    boolean prepared = !"false".equalsIgnoreCase(env.getOrDefault("DB_PREPARED_STATEMENTS", "true").strip());
    // Before the secret is read: a configuration mistake fails without calling Secrets Manager.
    Timeouts timeouts = timeouts(env);
    String url = blankToNull(env.get("DATABASE_URL"));
    if (url != null) {
      DatabaseSettings s = fromUrl(url, poolSize);
      String rootCert = s.sslRootCert != null ? s.sslRootCert : rootCert(env);
      return new DatabaseSettings(s.host, s.port, s.database, s.user, s.password, s.sslMode, poolSize, prepared,
          timeouts, rootCert);
    }
    String host = required(env, "DB_HOST");
    int port = Integer.parseInt(env.getOrDefault("DB_PORT", "5432"));
    String database = required(env, "DB_NAME");
    String user = blankToNull(env.get("DB_USER"));
    String password = blankToNull(env.get("DB_PASSWORD"));
    String secretId = blankToNull(env.get("DB_SECRET_ID"));
    if (password == null && secretId != null) {
      io.vertx.core.json.JsonObject secret = new io.vertx.core.json.JsonObject(secrets.apply(secretId));
      password = secret.getString("password");
      if (user == null) {
        user = secret.getString("username");
      }
    }
    if (user == null) {
      throw new IllegalStateException("Set DB_USER (or a DB_SECRET_ID whose secret has a username).");
    }
    return new DatabaseSettings(host, port, database, user, password == null ? "" : password,
        sslMode(env.getOrDefault("DB_SSL_MODE", "prefer")), poolSize, prepared, timeouts, rootCert(env));
  }

  /** {@code DB_SSL_ROOT_CERT}: a readable PEM file, or null when unset or blank. */
  static String rootCert(Map<String, String> env) {
    return readablePem(blankToNull(env.get("DB_SSL_ROOT_CERT")), "DB_SSL_ROOT_CERT");
  }

  private static String readablePem(String path, String name) {
    if (path == null) {
      return null;
    }
    java.nio.file.Path file = java.nio.file.Path.of(path.strip());
    if (!java.nio.file.Files.isReadable(file) || java.nio.file.Files.isDirectory(file)) {
      // Checked here: a missing bundle would otherwise fail every connection with a TLS error.
      throw new IllegalStateException(name + " must name a readable PEM file of CA certificates, not " + path);
    }
    return file.toString();
  }

  /** {@code DB_STATEMENT_TIMEOUT_MS}, {@code DB_LOCK_TIMEOUT_MS} and {@code DB_TIMEOUTS_IN_STARTUP}; unset or blank: the default. */
  static Timeouts timeouts(Map<String, String> env) {
    return new Timeouts(
        millis(env, "DB_STATEMENT_TIMEOUT_MS", Timeouts.DEFAULT.statementMillis()),
        millis(env, "DB_LOCK_TIMEOUT_MS", Timeouts.DEFAULT.lockMillis()),
        bool(env, "DB_TIMEOUTS_IN_STARTUP", Timeouts.DEFAULT.inStartup()));
  }

  private static int millis(Map<String, String> env, String name, int fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    int millis;
    try {
      millis = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name + " must be a whole number of milliseconds (0 for no limit), not '"
          + value + "'");
    }
    if (millis < 0) {
      throw new IllegalStateException(name + " must be 0 (no limit) or a positive number of milliseconds, not "
          + millis);
    }
    return millis;
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalStateException(name + " must be true or false, not '" + value + "'");
    };
  }

  /** The SSL modes {@link Database} knows; anything else is a configuration error, never a silent downgrade. */
  static final java.util.List<String> SSL_MODES = java.util.List.of("disable", "prefer", "require", "verify-full");

  private static String sslMode(String mode) {
    if (!SSL_MODES.contains(mode)) {
      throw new IllegalStateException("DB_SSL_MODE / sslmode must be one of " + SSL_MODES + ", not " + mode);
    }
    return mode;
  }

  static DatabaseSettings fromUrl(String url, int poolSize) {
    URI uri;
    try {
      uri = URI.create(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
    } catch (IllegalArgumentException e) {
      // The parser's message quotes the URL, password included: never pass it on.
      throw new IllegalStateException("DATABASE_URL is not a valid URL (percent-encode special characters in the "
          + "user and password)");
    }
    if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalStateException("DATABASE_URL must look like postgresql://user:password@host:5432/database");
    }
    String user = "postgres";
    String password = "";
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : "";
    }
    String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    String sslMode = "prefer";
    String rootCert = null;
    if (uri.getQuery() != null) {
      for (String pair : uri.getQuery().split("&")) {
        if (pair.startsWith("sslmode=")) {
          sslMode = pair.substring("sslmode=".length());
        } else if (pair.startsWith("sslrootcert=")) {
          rootCert = readablePem(pair.substring("sslrootcert=".length()), "sslrootcert");
        }
      }
    }
    return new DatabaseSettings(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user, password,
        sslMode(sslMode), poolSize, true, Timeouts.DEFAULT, rootCert);
  }

  private static String decode(String s) {
    // Percent-decoding of a URL part: unlike form data, '+' is a plus.
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String required(Map<String, String> env, String name) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      throw new IllegalStateException("Set DATABASE_URL, or " + name + " and the other DB_* variables.");
    }
    return value;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
