package io.leadcycle.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS to a real PostgreSQL whose certificate no public root signed (self-signed, for the name
 * {@code localhost} only): {@code require} and {@code verify-full} refuse it unless {@code DB_SSL_ROOT_CERT}
 * names its PEM, and {@code verify-full} also refuses it under a name it does not carry. The pool (the
 * functions) and the JDBC URL (the migration step) alike.
 */
class DatabaseTlsTest {

  private static Path directory;
  private static Path certificate;
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgresWithTls() throws Exception {
    directory = Files.createTempDirectory("leadcycle-tls");
    certificate = directory.resolve("server.crt");
    Path key = directory.resolve("server.key");
    selfSignedCertificate(certificate, key);
    postgres = EmbeddedPostgres.builder()
        .setServerConfig("ssl", "on")
        .setServerConfig("ssl_cert_file", certificate.toString())
        .setServerConfig("ssl_key_file", key.toString())
        .start();
  }

  @AfterAll
  static void stop() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void requireRefusesAServerNoTrustedRootVouchesFor() {
    assertThatThrownBy(() -> sslInUse(settings("localhost", "require", null)))
        .hasMessageContaining("SSL handshake failed");
  }

  @Test
  void requireAcceptsTheServerWhenTheBundleHoldsItsRootWhateverTheName() {
    assertThat(sslInUse(settings("127.0.0.1", "require", certificate.toString()))).isTrue();
  }

  @Test
  void verifyFullRefusesAnUntrustedServerAndAWrongNameAndAcceptsTheRightOne() {
    assertThatThrownBy(() -> sslInUse(settings("localhost", "verify-full", null)))
        .hasMessageContaining("SSL handshake failed");
    assertThatThrownBy(() -> sslInUse(settings("127.0.0.1", "verify-full", certificate.toString())))
        .hasMessageContaining("SSL handshake failed");
    assertThat(sslInUse(settings("localhost", "verify-full", certificate.toString()))).isTrue();
  }

  @Test
  void withoutABundleTheJdksTrustStoreDecides() throws Exception {
    // The JDK's trust store is whatever javax.net.ssl.trustStore names (cacerts by default, public roots):
    // once it holds the server's root, verify-full connects without DB_SSL_ROOT_CERT.
    Path store = directory.resolve("jdk-truststore.p12");
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (var in = Files.newInputStream(certificate)) {
      trusted.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    try (var out = Files.newOutputStream(store)) {
      trusted.store(out, "changeit".toCharArray());
    }
    Map<String, String> properties = Map.of("javax.net.ssl.trustStore", store.toString(),
        "javax.net.ssl.trustStorePassword", "changeit", "javax.net.ssl.trustStoreType", "PKCS12");
    Map<String, String> before = new java.util.HashMap<>();
    properties.keySet().forEach(name -> before.put(name, System.getProperty(name)));
    try {
      properties.forEach(System::setProperty);
      assertThat(sslInUse(settings("localhost", "verify-full", null))).isTrue();
    } finally {
      before.forEach((name, value) -> {
        if (value == null) {
          System.clearProperty(name);
        } else {
          System.setProperty(name, value);
        }
      });
    }
  }

  @Test
  void preferEncryptsWithoutAuthenticatingLocalUseOnly() {
    assertThat(sslInUse(settings("localhost", "prefer", null))).isTrue();
  }

  @Test
  void theMigrationStepsJdbcConnectionChecksTheSameWay() throws Exception {
    // The JDK's trust store (DefaultJavaSSLFactory) knows no such root; the bundle's root names localhost only.
    assertThatThrownBy(() -> jdbcSslInUse(settings("localhost", "require", null))).isInstanceOf(SQLException.class)
        .hasStackTraceContaining("PKIX path building failed");
    assertThatThrownBy(() -> jdbcSslInUse(settings("localhost", "verify-full", null)))
        .isInstanceOf(SQLException.class).hasStackTraceContaining("PKIX path building failed");
    assertThatThrownBy(() -> jdbcSslInUse(settings("127.0.0.1", "verify-full", certificate.toString())))
        .isInstanceOf(SQLException.class).hasMessageContaining("127.0.0.1");
    assertThat(jdbcSslInUse(settings("127.0.0.1", "require", certificate.toString()))).isTrue();
    assertThat(jdbcSslInUse(settings("localhost", "verify-full", certificate.toString()))).isTrue();
  }

  @Test
  void theRootBundleIsReadFromTheEnvironmentAndMustExist() {
    Map<String, String> env = Map.of("DB_HOST", "localhost", "DB_NAME", "postgres", "DB_USER", "postgres",
        "DB_SSL_MODE", "verify-full", "DB_SSL_ROOT_CERT", certificate.toString());
    assertThat(DatabaseSettings.fromEnvironment(env, id -> "{}").sslRootCert()).isEqualTo(certificate.toString());
    assertThat(DatabaseSettings.fromEnvironment(env, id -> "{}").jdbcUrl())
        .endsWith("?sslmode=verify-full&sslrootcert=" + java.net.URLEncoder.encode(certificate.toString(),
            StandardCharsets.UTF_8));
    Map<String, String> missing = new java.util.HashMap<>(env);
    missing.put("DB_SSL_ROOT_CERT", directory.resolve("nowhere.pem").toString());
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(missing, id -> "{}"))
        .hasMessageContaining("DB_SSL_ROOT_CERT must name a readable PEM file");
    Map<String, String> withPrefer = new java.util.HashMap<>(env);
    withPrefer.put("DB_SSL_MODE", "prefer");
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(withPrefer, id -> "{}"))
        .hasMessageContaining("require or verify-full");
  }

  private static DatabaseSettings settings(String host, String sslMode, String rootCert) {
    return new DatabaseSettings(host, postgres.getPort(), "postgres", "postgres", "", sslMode, 1, true,
        DatabaseSettings.Timeouts.DEFAULT, rootCert);
  }

  /** Whether the pool's connection is encrypted, as the server sees it; throws when it cannot connect. */
  private static boolean sslInUse(DatabaseSettings settings) {
    try (Database database = Database.connect(settings, 1)) {
      return database.pool().query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute()
          .await().iterator().next().getBoolean(0);
    }
  }

  private static boolean jdbcSslInUse(DatabaseSettings settings) throws SQLException {
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      r.next();
      return r.getBoolean(1);
    }
  }

  /** A key and a self-signed certificate for the name localhost only, in PEM, made with the JDK's keytool. */
  private static void selfSignedCertificate(Path certificate, Path key) throws Exception {
    Path store = directory.resolve("server.p12");
    String password = "tls-test";
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", password, "-keypass", password)
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keys.load(in, password.toCharArray());
    }
    PrivateKey privateKey = (PrivateKey) keys.getKey("server", password.toCharArray());
    Files.writeString(certificate, pem("CERTIFICATE", keys.getCertificate("server").getEncoded()));
    Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
  }

  private static String pem(String kind, byte[] der) {
    return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + kind + "-----\n";
  }
}
