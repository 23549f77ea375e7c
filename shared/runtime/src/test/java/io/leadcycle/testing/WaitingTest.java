package io.leadcycle.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A wait returns once its condition holds, and one that gives up fails, saying what it waited for. */
class WaitingTest {

  @Test
  void aWaitEndsWhenItsConditionHoldsAndAPollReturnsWhatItSaw() {
    AtomicInteger looks = new AtomicInteger();

    Waiting.until("the third look", () -> looks.incrementAndGet() >= 3);
    int seen = Waiting.poll("a look past five", looks::incrementAndGet, n -> n > 5);

    assertThat(seen).isEqualTo(6);
  }

  @Test
  void aWaitThatGivesUpFailsTheTestSayingWhatItWaitedForAndWhatItLastSaw() {
    assertThatThrownBy(() -> Waiting.poll("the import to finish", Duration.ofMillis(200), () -> "importing",
        "completed"::equals))
        .isInstanceOf(AssertionError.class)
        .hasMessage("waited 200 ms for the import to finish, in vain; last seen: importing");
    assertThatThrownBy(() -> Waiting.until("a look that throws", () -> {
      throw new java.io.IOException("connection refused");
    })).isInstanceOf(AssertionError.class).hasMessageContaining("a look that throws")
        .hasMessageContaining("connection refused");
    assertThatThrownBy(() -> Waiting.until("the queue to drain", Duration.ofMillis(100), () -> false))
        .hasMessage("waited 100 ms for the queue to drain, in vain");
  }
}
