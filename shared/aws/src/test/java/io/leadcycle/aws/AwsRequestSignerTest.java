package io.leadcycle.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Our Signature Version 4 must be the AWS SDK's, header for header, for the requests we sign. */
class AwsRequestSignerTest {

  private static final Instant NOW = Instant.parse("2026-12-06T11:42:07Z");

  @Test
  void aSecretsManagerCallWithTemporaryCredentialsIsSignedAsTheSdkSignsIt() {
    AwsCredentials credentials = new AwsCredentials("ASIAEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "IQoJb3JpZ2luX2VjEExample//token+with/slashes==");
    URI endpoint = URI.create("https://secretsmanager.eu-central-1.amazonaws.com");
    byte[] body = "{\"SecretId\":\"arn:aws:secretsmanager:eu-central-1:123456789012:secret:leadcycle-db-AbCdEf\"}"
        .getBytes(StandardCharsets.UTF_8);

    assertSameAsTheSdk(endpoint, body, "secretsmanager", "eu-central-1", credentials);
  }

  @Test
  void longTermCredentialsAndAnEndpointWithItsOwnPortAreSignedAsTheSdkSignsThem() {
    assertSameAsTheSdk(URI.create("http://127.0.0.1:4566"), "{}".getBytes(StandardCharsets.UTF_8), "secretsmanager",
        "us-east-1", new AwsCredentials("AKIDEXAMPLE", "secret", null));
    assertSameAsTheSdk(URI.create("https://secretsmanager.cn-north-1.amazonaws.com.cn:443"),
        "{\"SecretId\":\"x\"}".getBytes(StandardCharsets.UTF_8), "secretsmanager", "cn-north-1",
        new AwsCredentials("AKIDEXAMPLE", "secret", "token"));
  }

  @Property(tries = 50)
  void anyBodyAndKeyIsSignedAsTheSdkSignsIt(@ForAll @StringLength(max = 300) String body,
      @ForAll @AlphaChars @StringLength(min = 1, max = 40) String secretKey) {
    assertSameAsTheSdk(URI.create("https://secretsmanager.eu-west-1.amazonaws.com"), body.getBytes(StandardCharsets.UTF_8),
        "secretsmanager", "eu-west-1", new AwsCredentials("ASIAKEY", secretKey, "token"));
  }

  private static void assertSameAsTheSdk(URI endpoint, byte[] body, String service, String region,
      AwsCredentials credentials) {
    Map<String, String> headers = Map.of("content-type", "application/x-amz-json-1.1",
        "x-amz-target", "secretsmanager.GetSecretValue");
    Map<String, String> ours = AwsRequestSigner.signedPost(endpoint, headers, body, service, region, credentials, NOW);

    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"));
    headers.forEach(request::putHeader);
    AwsCredentialsIdentity identity = credentials.sessionToken() == null
        ? AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey())
        : AwsSessionCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey(),
            credentials.sessionToken());
    SdkHttpRequest sdk = AwsV4HttpSigner.create().sign(r -> r
        .identity(identity)
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC))).request();

    assertThat(ours.get("authorization")).isEqualTo(sdk.firstMatchingHeader("Authorization").orElseThrow());
    assertThat(ours.get("x-amz-date")).isEqualTo(sdk.firstMatchingHeader("X-Amz-Date").orElseThrow());
    assertThat(ours.get("x-amz-security-token")).isEqualTo(sdk.firstMatchingHeader("X-Amz-Security-Token").orElse(null));
  }
}
