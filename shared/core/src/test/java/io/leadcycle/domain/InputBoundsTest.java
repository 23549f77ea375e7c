package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Numbers a JSON parser can hand us that do not fit the columns behind them. */
class InputBoundsTest {

  private static InvalidInput invalid(Runnable parse) {
    try {
      parse.run();
    } catch (InvalidInput e) {
      return e;
    }
    throw new AssertionError("expected InvalidInput");
  }

  @Test
  void anInfiniteRevenueIsInvalidNotACrash() {
    InvalidInput e = invalid(() -> AccountDetails.parse(Map.of("name", "Acme", "annualRevenue", Double.POSITIVE_INFINITY)));

    assertThat(e.errors()).extracting(FieldError::field).containsExactly("annualRevenue");
  }

  @Test
  void anEmployeeCountBeyondAnIntegerIsInvalidNotWrappedAround() {
    InvalidInput e = invalid(() -> AccountDetails.parse(
        Map.of("name", "Acme", "employeeCount", new BigInteger("18446744073709551617"))));

    assertThat(e.errors()).extracting(FieldError::field).containsExactly("employeeCount");
  }

  @Test
  void revenueIsKeptToCentsExactly() {
    AccountDetails account = AccountDetails.parse(Map.of("name", "Acme", "annualRevenue", new BigDecimal("123456789012.345")));

    assertThat(account.annualRevenue()).isEqualByComparingTo("123456789012.35");
  }

  @Test
  void anUnknownFormSettingIsNamed() {
    assertThatThrownBy(() -> FormDefinition.parse("f", Map.of("name", "F", "kind", "event", "requireSignatures", false)))
        .isInstanceOfSatisfying(InvalidInput.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("requireSignatures"));
  }
}
