package io.leadcycle.aws;

import java.util.Map;

/** What the calls made without the AWS SDK read from the Lambda environment, as the SDK reads it. */
final class AwsEnvironment {

  private AwsEnvironment() {
  }

  /** {@code AWS_REGION} (Lambda sets it), else {@code AWS_DEFAULT_REGION}; {@code purpose} names what needs it. */
  static String region(Map<String, String> env, String purpose) {
    String region = firstOf(env, "AWS_REGION", "AWS_DEFAULT_REGION");
    if (region == null) {
      throw new IllegalStateException("Set AWS_REGION (Lambda sets it) to " + purpose + ".");
    }
    return region;
  }

  /** AWS's domain for a region's endpoints. */
  static String domain(String region) {
    return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  }

  /** The value of the first of {@code names} that is set and not blank, stripped; null when none is. */
  static String firstOf(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }
}
