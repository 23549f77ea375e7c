package io.leadcycle.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcycle.postgres.DatabaseSettings.Timeouts;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code DB_STATEMENT_TIMEOUT_MS}, {@code DB_LOCK_TIMEOUT_MS}, {@code DB_TIMEOUTS_IN_STARTUP}: defaults, overrides, mistakes. */
class DatabaseTimeoutSettingsTest {

  private static final Function<String, String> NO_SECRETS = id -> {
    throw new AssertionError("Secrets Manager must not be called (asked for " + id + ")");
  };

  private static DatabaseSettings withUrl(String... nameValuePairs) {
    return DatabaseSettings.fromEnvironment(env("DATABASE_URL", "postgresql://u:p@h/db", nameValuePairs), NO_SECRETS);
  }

  private static DatabaseSettings withVariables(String... nameValuePairs) {
    return DatabaseSettings.fromEnvironment(
        env("DB_HOST", "h", "DB_NAME", "d", "DB_USER", "u", "DB_PASSWORD", "p", nameValuePairs), NO_SECRETS);
  }

  private static Map<String, String> env(Object... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i++) {
      if (pairs[i] instanceof String[] more) {
        for (int j = 0; j < more.length; j += 2) {
          env.put(more[j], more[j + 1]);
        }
      } else {
        env.put((String) pairs[i], (String) pairs[++i]);
      }
    }
    return env;
  }

  @Test
  void theDefaultsAreTenSecondsPerStatementAndFiveSecondsPerLockWaitSentAtStartup() {
    for (DatabaseSettings settings : new DatabaseSettings[] {withUrl(), withVariables()}) {
      assertThat(settings.timeouts()).isEqualTo(new Timeouts(10_000, 5_000, true)).isEqualTo(Timeouts.DEFAULT);
    }
    assertThat(new DatabaseSettings("h", 5432, "d", "u", "p", "disable", 2).timeouts()).isEqualTo(Timeouts.DEFAULT);
  }

  @Test
  void eachSettingCanBeChangedForAUrlAndForDbVariables() {
    String[] overrides = {"DB_STATEMENT_TIMEOUT_MS", "2500", "DB_LOCK_TIMEOUT_MS", " 300 ", "DB_TIMEOUTS_IN_STARTUP",
        "FALSE"};

    assertThat(withUrl(overrides).timeouts()).isEqualTo(new Timeouts(2_500, 300, false));
    assertThat(withVariables(overrides).timeouts()).isEqualTo(new Timeouts(2_500, 300, false));
    assertThat(withUrl("DB_LOCK_TIMEOUT_MS", "750").timeouts()).isEqualTo(new Timeouts(10_000, 750, true));
  }

  @Test
  void zeroMeansNoLimitAsInPostgresqlAndBlankMeansTheDefault() {
    assertThat(withUrl("DB_STATEMENT_TIMEOUT_MS", "0", "DB_LOCK_TIMEOUT_MS", "0").timeouts())
        .isEqualTo(new Timeouts(0, 0, true));
    assertThat(withUrl("DB_STATEMENT_TIMEOUT_MS", " ", "DB_LOCK_TIMEOUT_MS", "", "DB_TIMEOUTS_IN_STARTUP", "")
        .timeouts()).isEqualTo(Timeouts.DEFAULT);
  }

  @Test
  void aValueThatIsNotAWholeNumberOfMillisecondsFailsNamingTheVariable() {
    for (String bad : new String[] {"10s", "1.5", "ten", "-1", "99999999999"}) {
      assertThatThrownBy(() -> withUrl("DB_STATEMENT_TIMEOUT_MS", bad))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("DB_STATEMENT_TIMEOUT_MS").hasMessageContaining(bad);
      assertThatThrownBy(() -> withVariables("DB_LOCK_TIMEOUT_MS", bad))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("DB_LOCK_TIMEOUT_MS").hasMessageContaining(bad);
    }
    assertThatThrownBy(() -> withUrl("DB_TIMEOUTS_IN_STARTUP", "yes"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("DB_TIMEOUTS_IN_STARTUP");
  }

  @Test
  void aBadTimeoutFailsBeforeSecretsManagerIsAsked() {
    assertThatThrownBy(() -> DatabaseSettings.fromEnvironment(Map.of("DB_HOST", "h", "DB_NAME", "d",
        "DB_SECRET_ID", "s", "DB_LOCK_TIMEOUT_MS", "5s"), NO_SECRETS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("DB_LOCK_TIMEOUT_MS");
  }

  @Test
  void theTimeoutsSurviveAnotherPoolSizeAndAreShownWithTheSettings() {
    DatabaseSettings settings = withUrl("DB_STATEMENT_TIMEOUT_MS", "1234").withPoolSize(16);

    assertThat(settings.timeouts()).isEqualTo(new Timeouts(1_234, 5_000, true));
    assertThat(settings.toString()).contains("statement_timeout=1234ms").contains("lock_timeout=5000ms")
        .doesNotContain("p@");
    assertThatThrownBy(() -> new Timeouts(-1, 0, true)).isInstanceOf(IllegalArgumentException.class);
  }
}
