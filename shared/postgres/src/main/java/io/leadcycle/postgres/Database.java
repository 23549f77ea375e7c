package io.leadcycle.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.TrustManagerFactory;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The connection pool and the ways to run a transaction. */
public final class Database implements AutoCloseable {

  private final Pool pool;
  private final Vertx ownVertx;

  public Database(Pool pool) {
    this(pool, null);
  }

  private Database(Pool pool, Vertx ownVertx) {
    this.pool = pool;
    this.ownVertx = ownVertx;
  }

  /**
   * The one place a database handle is built, for every host: Lambda (one event loop, a pool of
   * {@code DB_POOL_SIZE}), the local server and the tests. It owns a Vert.x of {@code eventLoops}
   * loops, closed with it.
   */
  public static Database connect(DatabaseSettings settings, int eventLoops) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1));
    return new Database(createPool(vertx, settings), vertx);
  }

  public Vertx vertx() {
    return ownVertx;
  }

  @Override
  public void close() {
    pool.close().await();
    if (ownVertx != null) {
      ownVertx.close().await();
    }
  }

  public Pool pool() {
    return pool;
  }

  /**
   * A small pool with short lifetimes: a Lambda environment serves one request at a time and may be
   * frozen for minutes, so connections must not outlive a freeze for long.
   */
  public static Pool createPool(Vertx vertx, DatabaseSettings settings) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setDatabase(settings.database())
        .setUser(settings.user())
        .setPassword(settings.password())
        // Parsed and planned once per connection; off behind RDS Proxy, where named statements pin sessions.
        .setCachePreparedStatements(settings.preparedStatements());
    DatabaseSettings.Timeouts timeouts = settings.timeouts();
    if (timeouts.inStartup()) {
      // In the startup message, beside the client's defaults (client_encoding, DateStyle...: added, not
      // replaced): every session starts bounded, with no SET and no round trip. Not behind RDS Proxy, which
      // refuses startup parameters it does not know; there the login role carries them (DatabaseSettings).
      connect.addProperty("statement_timeout", Integer.toString(timeouts.statementMillis()))
          .addProperty("lock_timeout", Integer.toString(timeouts.lockMillis()));
    }
    switch (settings.sslMode()) {
      case "disable" -> connect.setSslMode(SslMode.DISABLE);
      // The certificate chain must lead to a trusted root; any name on it will do.
      case "require" -> connect.setSslMode(SslMode.REQUIRE)
          .setSslOptions(new ClientSSLOptions().setTrustOptions(trust(settings)).setHostnameVerificationAlgorithm(""));
      // The chain, and the host's name (or IP address) on the certificate.
      case "verify-full" -> connect.setSslMode(SslMode.VERIFY_FULL)
          .setSslOptions(new ClientSSLOptions().setTrustOptions(trust(settings))
              .setHostnameVerificationAlgorithm("HTTPS"));
      // Encryption without authentication, for local use only (docs/deployment.md): libpq's prefer checks no
      // certificate either, and falls back to plain text when the server offers no TLS.
      case "prefer" -> connect.setSslMode(SslMode.PREFER).setSslOptions(new ClientSSLOptions().setTrustAll(true));
      default -> throw new IllegalStateException("unknown SSL mode " + settings.sslMode());
    }
    PoolOptions options = new PoolOptions()
        .setMaxSize(settings.poolSize())
        .setMaxWaitQueueSize(1_000)
        .setConnectionTimeout(10)
        .setConnectionTimeoutUnit(TimeUnit.SECONDS)
        .setIdleTimeout(60)
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxLifetime(5)
        .setMaxLifetimeUnit(TimeUnit.MINUTES);
    return PgBuilder.pool()
        .with(options)
        .with(new NetClientOptions().setConnectTimeout(5_000))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  /**
   * Whom the server's certificate must chain to: the CA certificates of the PEM bundle
   * {@code DB_SSL_ROOT_CERT} names (only those, as libpq's {@code sslrootcert}), else the JDK's trust store
   * (public roots: RDS Proxy's certificates chain to them).
   */
  static TrustOptions trust(DatabaseSettings settings) {
    if (settings.sslRootCert() != null) {
      return new PemTrustOptions().addCertPath(settings.sslRootCert());
    }
    try {
      TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null); // null: the JDK's own cacerts
      return TrustOptions.wrap(jdk);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the JDK's trust store", e);
    }
  }

  /**
   * Runs {@code work} in one transaction. One that PostgreSQL aborted as a deadlock or serialization
   * failure is run once more: it was rolled back, so a second run is safe. One cancelled by
   * {@code statement_timeout} or {@code lock_timeout} is not: it was rolled back too, but a second wait
   * as long would outlast the caller, who is answered "unavailable, retry later" instead.
   */
  public <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work)
        .recover(failure -> Failures.isAbortedByServer(failure) ? pool.withTransaction(work) : Future.failedFuture(failure));
  }

  /**
   * As {@link #inTransaction}, and also once more when the connection closed under it (a frozen Lambda):
   * then nobody knows whether the commit happened, so only work that is idempotent by itself (intake,
   * with its receipts) may use this.
   *
   * <p>The transaction is written by hand, so that it costs two round trips fewer than the client's own:
   * {@code BEGIN} goes out with the first statements instead of being waited for, and the work may send
   * {@code COMMIT} with its last statements ({@link Commit#now}) instead of after their answers. In AWS
   * the database is a network hop away, and a submission holds its connection across every round trip.
   */
  public <T> Future<T> inIdempotentTransaction(BiFunction<SqlConnection, Commit, Future<T>> work) {
    return pool.withConnection(conn -> pipelined(conn, work))
        .recover(failure -> Failures.isAbortedByServer(failure) || Failures.isClosedConnection(failure)
            ? pool.withConnection(conn -> pipelined(conn, work)) : Future.failedFuture(failure));
  }

  /**
   * The {@code COMMIT} of a transaction run by {@link #inIdempotentTransaction}, sent early on request.
   *
   * <p>PostgreSQL runs a connection's statements in the order they were sent; once one of them fails, every
   * later one fails too ("current transaction is aborted") and {@code COMMIT} rolls back. So a {@code COMMIT}
   * sent behind the last statements commits exactly when all of them succeeded, and the work's future tells
   * which it was, as long as it waits for every statement it sent and lets their failures through (none of
   * intake's is recovered). The answer's command tag ({@code COMMIT} or {@code ROLLBACK}) is not needed, and
   * the client does not expose it.
   */
  public static final class Commit {

    private final SqlConnection conn;
    /** The answer to the transaction's end, COMMIT or ROLLBACK, once sent. */
    private Future<Void> answer;

    private Commit(SqlConnection conn) {
      this.conn = conn;
    }

    /**
     * Sends {@code COMMIT} now, behind the statements already sent, without waiting for their answers. Only
     * once the work has sent every statement of the transaction, and when nothing but those statements'
     * answers can fail its future any more: after this, a failure of the work's own code would be reported
     * although the writes were committed.
     */
    public void now() {
      if (answer == null) {
        answer = conn.query("COMMIT").execute().mapEmpty();
      }
    }
  }

  private static <T> Future<T> pipelined(SqlConnection conn, BiFunction<SqlConnection, Commit, Future<T>> work) {
    // Not waited for: PostgreSQL answers BEGIN before it runs the next statement, and a BEGIN that failed
    // (a broken connection) fails every statement sent behind it.
    Future<Void> begun = conn.query("BEGIN").execute().mapEmpty();
    Commit commit = new Commit(conn);
    Future<T> done = start(work, conn, commit);
    Future<T> worked = begun.compose(b -> done, failure -> done.transform(ignored -> Future.failedFuture(failure)));
    return worked.transform(outcome -> {
      if (outcome.succeeded()) {
        commit.now();
        // An error on COMMIT itself (a deferred constraint) fails the transaction, as with the client's own.
        return commit.answer.map(committed -> outcome.result());
      }
      // Failed: every statement sent after the failure failed too, so an early COMMIT rolled back. Otherwise
      // roll back here. The connection goes back to the pool only once the transaction has ended.
      if (commit.answer == null) {
        commit.answer = conn.query("ROLLBACK").execute().mapEmpty(); // and a late now() sends nothing
      }
      return commit.answer.transform(ignored -> Future.failedFuture(outcome.cause()));
    });
  }

  private static <T> Future<T> start(BiFunction<SqlConnection, Commit, Future<T>> work, SqlConnection conn,
      Commit commit) {
    try {
      return work.apply(conn, commit);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Runs read-only work, retried once on a closed connection. */
  public <T> Future<T> read(Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(work)
        .recover(failure -> Failures.isClosedConnection(failure) ? pool.withConnection(work) : Future.failedFuture(failure));
  }
}
