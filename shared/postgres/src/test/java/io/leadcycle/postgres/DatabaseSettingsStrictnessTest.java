package io.leadcycle.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration mistakes fail loudly and never echo the password. */
class DatabaseSettingsStrictnessTest {

  @Test
  void anUnknownSslModeIsAnErrorNotASilentDowngrade() {
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(
        Map.of("DB_HOST", "db", "DB_NAME", "app", "DB_USER", "u", "DB_SSL_MODE", "verify-ca"), id -> "{}"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("verify-ca");
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(
        Map.of("DATABASE_URL", "postgresql://u:p@db/app?sslmode=requier"), id -> "{}"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("requier");
  }

  @Test
  void anUnparsableUrlDoesNotQuoteItsPassword() {
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(
        Map.of("DATABASE_URL", "postgresql://app:s3cr^t pw@db:5432/app"), id -> "{}"))
        .isInstanceOf(IllegalStateException.class)
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("s3cr"));
  }
}
