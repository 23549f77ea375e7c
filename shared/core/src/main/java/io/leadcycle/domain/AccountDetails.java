package io.leadcycle.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A company's firmographic data, as a user enters it ({@code POST /v1/accounts}), validated. */
public record AccountDetails(String name, String domain, String industry, Integer employeeCount,
    BigDecimal annualRevenue, String country) {

  /** The column is numeric(20, 2): 18 digits before the point. */
  private static final BigDecimal MAX_REVENUE = new BigDecimal("1e18");

  private static final List<String> ALLOWED =
      List.of("name", "domain", "industry", "employeeCount", "annualRevenue", "country");

  public static AccountDetails parse(Map<String, ?> body) {
    List<FieldError> errors = new ArrayList<>();
    Fields.rejectUnknown(body, ALLOWED, "", errors);
    String name = Fields.requiredText(body, "name", Submission.MAX_TEXT_LENGTH, errors);
    String domain = Fields.optionalText(body, "domain", 253, errors);
    String industry = Fields.optionalText(body, "industry", Submission.MAX_TEXT_LENGTH, errors);
    String country = Fields.optionalText(body, "country", Submission.MAX_TEXT_LENGTH, errors);
    Integer employees = null;
    Object rawEmployees = body.get("employeeCount");
    if (rawEmployees != null) {
      BigDecimal value = decimal(rawEmployees);
      if (value != null && value.signum() >= 0 && value.stripTrailingZeros().scale() <= 0
          && value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
        employees = value.intValueExact();
      } else {
        errors.add(new FieldError("employeeCount", "must be a whole number, 0 or more"));
      }
    }
    BigDecimal revenue = null;
    Object rawRevenue = body.get("annualRevenue");
    if (rawRevenue != null) {
      BigDecimal value = decimal(rawRevenue);
      if (value != null && value.signum() >= 0 && value.compareTo(MAX_REVENUE) < 0) {
        revenue = value.setScale(2, java.math.RoundingMode.HALF_UP);
      } else {
        errors.add(new FieldError("annualRevenue", "must be a number from 0 to below 10^18"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    return new AccountDetails(name, domain, industry, employees, revenue, country);
  }

  /** A JSON number as an exact decimal; null for anything else, including overflowing (infinite) numbers. */
  private static BigDecimal decimal(Object raw) {
    if (!(raw instanceof Number n)) {
      return null;
    }
    if ((n instanceof Double d && !Double.isFinite(d)) || (n instanceof Float f && !Float.isFinite(f))) {
      return null;
    }
    try {
      return new BigDecimal(n.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
