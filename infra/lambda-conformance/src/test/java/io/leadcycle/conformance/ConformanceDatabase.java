package io.leadcycle.conformance;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 17 that asks what Aurora behind RDS Proxy asks: TLS on every TCP connection (plain
 * connections are rejected) and SCRAM passwords. Its certificate, for 127.0.0.1, is self-signed: the
 * functions (the template's {@code DB_SSL_MODE} is {@code verify-full}) trust it through
 * {@code DB_SSL_ROOT_CERT}, {@link #certificate()}.
 * The owner ({@code postgres}) logs in with the password of the cluster's master secret; the functions'
 * role is created by the migration step, as in AWS.
 */
final class ConformanceDatabase implements AutoCloseable {

  static final String OWNER = "postgres";

  private final EmbeddedPostgres postgres;
  private final String ownerPassword;
  private final Path certificate;

  private ConformanceDatabase(EmbeddedPostgres postgres, String ownerPassword, Path certificate) {
    this.postgres = postgres;
    this.ownerPassword = ownerPassword;
    this.certificate = certificate;
  }

  static ConformanceDatabase start(Path directory, String ownerPassword) {
    try {
      Path data = directory.resolve("data");
      Files.createDirectories(directory);
      Path certificate = directory.resolve("server.crt");
      Path key = directory.resolve("server.key");
      selfSignedCertificate(directory, certificate, key);
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(data)
          .setCleanDataDirectory(true)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setServerConfig("max_connections", "100")
          .setServerConfig("ssl", "on")
          .setServerConfig("ssl_cert_file", certificate.toString())
          .setServerConfig("ssl_key_file", key.toString())
          .setServerConfig("password_encryption", "scram-sha-256")
          .start();
      // Started with initdb's trust: give the owner its password, then ask for TLS and SCRAM from now on.
      try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("ALTER ROLE " + OWNER + " PASSWORD '" + ownerPassword.replace("'", "''") + "'");
        Files.writeString(data.resolve("pg_hba.conf"), String.join("\n", List.of(
            "local all all trust",
            "hostssl all all 127.0.0.1/32 scram-sha-256",
            "hostssl all all ::1/128 scram-sha-256",
            "host all all 0.0.0.0/0 reject",
            "host all all ::/0 reject", "")), StandardCharsets.UTF_8);
        s.execute("SELECT pg_reload_conf()");
      }
      return new ConformanceDatabase(postgres, ownerPassword, certificate);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot configure embedded PostgreSQL", e);
    }
  }

  int port() {
    return postgres.getPort();
  }

  /** The server's certificate in PEM: its own root, for {@code DB_SSL_ROOT_CERT}. */
  Path certificate() {
    return certificate;
  }

  /** A connection as the owner, over TLS with the password, to {@code database}. */
  Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", OWNER);
    properties.setProperty("password", ownerPassword);
    properties.setProperty("sslmode", "require");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + database, properties);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }

  /** A key and self-signed certificate for 127.0.0.1 in PEM, made with the JDK's keytool. */
  private static void selfSignedCertificate(Path directory, Path certificate, Path key) throws IOException {
    Path store = directory.resolve("server.p12");
    Files.deleteIfExists(store);
    String password = "conformance";
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", password, "-keypass", password)
        .redirectErrorStream(true).start();
    try {
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(store)) {
        keys.load(in, password.toCharArray());
      }
      PrivateKey privateKey = (PrivateKey) keys.getKey("server", password.toCharArray());
      Certificate cert = keys.getCertificate("server");
      Files.writeString(certificate, pem("CERTIFICATE", cert.getEncoded()));
      Files.deleteIfExists(key);
      Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot read keytool's key store", e);
    }
  }

  private static String pem(String kind, byte[] der) {
    return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + kind + "-----\n";
  }
}
