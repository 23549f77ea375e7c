package io.leadcycle.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  private static final Function<String, String> NO_SECRETS = id -> {
    throw new AssertionError("Secrets Manager must not be called (asked for " + id + ")");
  };

  private static DatabaseSettings fromUrl(String url) {
    return DatabaseSettings.fromEnvironment(Map.of("DATABASE_URL", url), NO_SECRETS);
  }

  @Test
  void readsAFullDatabaseUrl() {
    DatabaseSettings settings = fromUrl("postgresql://leadcycle:s3cret@db.example.com:6543/crm?sslmode=require");

    assertThat(settings).isEqualTo(new DatabaseSettings("db.example.com", 6543, "crm", "leadcycle", "s3cret",
        "require", 2));
    // JDBC's require checks no certificate: ours is its verify-ca, against the JDK's trust store.
    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/crm?sslmode=verify-ca"
        + "&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
  }

  @Test
  void portDefaultsTo5432AndSslModeToPrefer() {
    DatabaseSettings settings = fromUrl("postgresql://u:p@localhost/app");

    assertThat(settings.port()).isEqualTo(5432);
    assertThat(settings.sslMode()).isEqualTo("prefer");
    assertThat(settings.database()).isEqualTo("app");
    assertThat(settings.poolSize()).isEqualTo(2);
  }

  @Test
  void urlEncodedUserAndPasswordAreDecoded() {
    DatabaseSettings settings = fromUrl("postgresql://app%40prod:p%40ss%3Aw%2Frd%25@h/db");

    assertThat(settings.user()).isEqualTo("app@prod");
    assertThat(settings.password()).isEqualTo("p@ss:w/rd%");
  }

  @Test
  void aPasswordMayContainAColon() {
    assertThat(fromUrl("postgresql://u:a:b@h/db").password()).isEqualTo("a:b");
  }

  @Test
  void postgresSchemeIsAccepted() {
    DatabaseSettings settings = fromUrl("postgres://u:p@pg.internal:5433/leads");

    assertThat(settings.host()).isEqualTo("pg.internal");
    assertThat(settings.port()).isEqualTo(5433);
    assertThat(settings.database()).isEqualTo("leads");
    assertThat(settings.user()).isEqualTo("u");
  }

  @Test
  void sslModeIsFoundAmongOtherParameters() {
    assertThat(fromUrl("postgresql://u:p@h/db?application_name=lc&sslmode=disable&connect_timeout=5").sslMode())
        .isEqualTo("disable");
  }

  @Test
  void userAndDatabaseHaveDefaults() {
    DatabaseSettings settings = fromUrl("postgresql://h");

    assertThat(settings.user()).isEqualTo("postgres");
    assertThat(settings.password()).isEmpty();
    assertThat(settings.database()).isEqualTo("postgres");
  }

  @Test
  void poolSizeIsReadForTheUrlToo() {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment(
        Map.of("DATABASE_URL", "postgresql://u:p@h/db", "DB_POOL_SIZE", "7"), NO_SECRETS);

    assertThat(settings.poolSize()).isEqualTo(7);
  }

  @Test
  void theUrlWinsOverDbVariables() {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of("DATABASE_URL", "postgresql://u:p@url-host/db",
        "DB_HOST", "var-host", "DB_NAME", "other", "DB_USER", "x"), NO_SECRETS);

    assertThat(settings.host()).isEqualTo("url-host");
  }

  @Test
  void rejectsAnUrlOfAnotherScheme() {
    assertThatThrownBy(() -> fromUrl("mysql://u:p@h/db")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fromUrl("postgresql:///db")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void readsDbVariables() {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "db.local", "DB_NAME", "crm",
        "DB_USER", "app", "DB_PASSWORD", "pw"), NO_SECRETS);

    assertThat(settings).isEqualTo(new DatabaseSettings("db.local", 5432, "crm", "app", "pw", "prefer", 2));
  }

  @Test
  void readsOptionalDbVariables() {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "db.local", "DB_PORT", "6000",
        "DB_NAME", "crm", "DB_USER", "app", "DB_PASSWORD", "pw", "DB_SSL_MODE", "require", "DB_POOL_SIZE", "4",
        "DATABASE_URL", "  "), NO_SECRETS);

    assertThat(settings).isEqualTo(new DatabaseSettings("db.local", 6000, "crm", "app", "pw", "require", 4));
  }

  @Test
  void readsTheLoginFromASecret() {
    List<String> asked = new ArrayList<>();
    Function<String, String> secrets = id -> {
      asked.add(id);
      return "{\"username\":\"u\",\"password\":\"p\",\"engine\":\"postgres\"}";
    };

    DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "db.local", "DB_NAME", "crm",
        "DB_SECRET_ID", "arn:aws:secretsmanager:eu-central-1:123:secret:db"), secrets);

    assertThat(asked).containsExactly("arn:aws:secretsmanager:eu-central-1:123:secret:db");
    assertThat(settings.user()).isEqualTo("u");
    assertThat(settings.password()).isEqualTo("p");
  }

  @Test
  void dbUserWinsOverTheSecretsUsername() {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "h", "DB_NAME", "d",
        "DB_USER", "app", "DB_SECRET_ID", "s"), id -> "{\"username\":\"u\",\"password\":\"p\"}");

    assertThat(settings.user()).isEqualTo("app");
    assertThat(settings.password()).isEqualTo("p");
  }

  @Test
  void aGivenPasswordMeansTheSecretIsNotRead() {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "h", "DB_NAME", "d",
        "DB_USER", "app", "DB_PASSWORD", "pw", "DB_SECRET_ID", "s"), NO_SECRETS);

    assertThat(settings.password()).isEqualTo("pw");
  }

  @Test
  void missingSettingsFail() {
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(Map.of(), NO_SECRETS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("DATABASE_URL");
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(Map.of("DB_NAME", "d", "DB_USER", "u"), NO_SECRETS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("DB_HOST");
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "h", "DB_USER", "u"), NO_SECRETS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("DB_NAME");
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(Map.of("DB_HOST", " ", "DB_NAME", "d", "DB_USER", "u"),
        NO_SECRETS)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aMissingUserFails() {
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "h", "DB_NAME", "d",
        "DB_PASSWORD", "pw"), NO_SECRETS)).isInstanceOf(IllegalStateException.class).hasMessageContaining("DB_USER");
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "h", "DB_NAME", "d",
        "DB_SECRET_ID", "s"), id -> "{\"password\":\"p\"}")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toStringNeverContainsThePassword() {
    String password = "Sup3r-S3cret-Pa55";
    DatabaseSettings fromVariables = DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "h", "DB_NAME", "d",
        "DB_USER", "app", "DB_PASSWORD", password), NO_SECRETS);
    DatabaseSettings fromUrl = fromUrl("postgresql://app:" + password + "@h/d");
    DatabaseSettings fromSecret = DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "h", "DB_NAME", "d",
        "DB_SECRET_ID", "s"), id -> "{\"username\":\"u\",\"password\":\"" + password + "\"}");

    for (DatabaseSettings settings : List.of(fromVariables, fromUrl, fromSecret)) {
      assertThat(settings.password()).isEqualTo(password);
      assertThat(settings.toString()).doesNotContain(password).contains("h").contains("d");
      assertThat(settings.jdbcUrl()).doesNotContain(password);
    }
  }

  @Test
  void aPlusInThePasswordStaysAPlus() {
    assertThat(fromUrl("postgresql://u:pa+ss@h/db").password()).isEqualTo("pa+ss");
  }
}
