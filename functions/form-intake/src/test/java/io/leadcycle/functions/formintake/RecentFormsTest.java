package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.AccountLinking;
import io.leadcycle.domain.BrowserSettings;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormKind;
import io.leadcycle.domain.MatchField;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.StrategyEntity;
import io.leadcycle.domain.UpdateMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentFormsTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final MatchingStrategy BY_EMAIL =
      new MatchingStrategy("default-contact", "email", StrategyEntity.CONTACT, List.of(MatchField.EMAIL));

  private static Form form(String name) {
    return new Form("f", name, FormKind.MARKETING_PAGE, BY_EMAIL, BY_EMAIL, UpdateMode.NO_UPDATE, false, true, "whsec_x",
        AccountLinking.OFF, BrowserSettings.NONE);
  }

  private final RecentForms recent = new RecentForms(Duration.ofSeconds(10));
  private final AtomicInteger loads = new AtomicInteger();

  private Form load(String name) {
    loads.incrementAndGet();
    return name == null ? null : form(name);
  }

  @Test
  void aFreshFormIsServedFromMemory() {
    recent.get("f", T0, () -> load("v1"));
    Form again = recent.get("f", T0.plusSeconds(9), () -> load("v2"));

    assertThat(again.name()).isEqualTo("v1");
    assertThat(loads).hasValue(1);
  }

  @Test
  void anExpiredFormIsReadAgain() {
    recent.get("f", T0, () -> load("v1"));
    Form later = recent.get("f", T0.plusSeconds(10), () -> load("v2"));

    assertThat(later.name()).isEqualTo("v2");
    assertThat(loads).hasValue(2);
  }

  @Test
  void aForgottenFormIsReadAgainAtOnce() {
    recent.get("f", T0, () -> load("v1"));
    recent.forget("f");

    assertThat(recent.get("f", T0.plusSeconds(1), () -> load("v2")).name()).isEqualTo("v2");
  }

  @Test
  void anUnknownFormIsNotRemembered() {
    assertThat(recent.get("f", T0, () -> load(null))).isNull();
    assertThat(recent.get("f", T0.plusSeconds(1), () -> load("created meanwhile")).name())
        .isEqualTo("created meanwhile");
  }
}
