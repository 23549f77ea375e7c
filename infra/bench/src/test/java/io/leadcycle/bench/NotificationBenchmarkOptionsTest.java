package io.leadcycle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The notification benchmark's warm-up, nudge and concurrency options (no benchmark is run here). */
class NotificationBenchmarkOptionsTest {

  @Test
  void byDefaultAWarmUpIsDrainedFirstAndTheWritersNudgeWithTheDispatchersOwnConcurrency() {
    NotificationBenchmark.Options o = NotificationBenchmark.Options.parse(new String[] {"--rate", "1000"});
    assertThat(o.warmup()).isEqualTo(3_000);
    assertThat(o.nudge()).isTrue();
    assertThat(o.dispatcherConcurrency()).isNull();
    assertThat(o.events()).isEqualTo(10_000);
    assertThat(o.withEvents(3_000).events()).isEqualTo(3_000);
    assertThat(o.withEvents(3_000).rate()).isEqualTo(1_000);
  }

  @Test
  void aColdServerTheTimerAloneOrAnotherConcurrencyOnRequest() {
    NotificationBenchmark.Options o = NotificationBenchmark.Options.parse(
        new String[] {"--warmup", "0", "--no-nudge", "--dispatcher-concurrency", "32"});
    assertThat(o.warmup()).isZero();
    assertThat(o.nudge()).isFalse();
    assertThat(o.dispatcherConcurrency()).isEqualTo(32);
  }
}
