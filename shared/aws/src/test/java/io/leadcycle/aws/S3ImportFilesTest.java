package io.leadcycle.aws;

import io.leadcycle.runtime.ImportFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The import bucket without the SDK: upload URLs are the SDK's S3Presigner's, byte for byte, for any key,
 * credentials and validity (and, for any time, signed as the SDK's signer presigns); a file the API
 * received is put with one signed PUT to a loopback S3.
 */
class S3ImportFilesTest {

  private static final String BUCKET = "leadcycle-imports-123456789012-eu-central-1";
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private HttpServer s3;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private final List<Integer> statuses = new CopyOnWriteArrayList<>();
  private final AtomicInteger answered = new AtomicInteger();

  @BeforeEach
  @BeforeProperty
  void start() throws Exception {
    s3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s3.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
      Map<String, String> received = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> received.put(name.toLowerCase(), values.get(0)));
      headers.add(received);
      try (InputStream in = exchange.getRequestBody()) {
        bodies.add(in.readAllBytes());
      }
      int next = answered.getAndIncrement();
      int status = next < statuses.size() ? statuses.get(next) : 200;
      byte[] body = status == 200 ? new byte[0]
          : ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + (status == 403 ? "AccessDenied" : "InternalError")
              + "</Code><Message>no</Message></Error>").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    s3.start();
  }

  @AfterEach
  @AfterProperty
  void stop() {
    s3.stop(0);
  }

  /** The URL the SDK's presigner writes, at the same moment (it takes the time from the system clock). */
  @Property(tries = 60)
  void uploadUrlsAreTheSdkPresignersToTheByte(@ForAll @AlphaChars @NumericChars
      @Chars({' ', '+', '%', '&', '=', '?', '#', '(', ')', '*', '!', '\'', ',', ';', ':', '@', '$', '~', '.', '_', '-',
          '[', ']', '{', '}', '^', '`', '|', '\\', '"', '<', '>', 'ä', 'ß', '€', '中', '😀'})
      @StringLength(min = 1, max = 40) String name,
      @ForAll @AlphaChars @Chars({'/', '+', '='}) @StringLength(min = 1, max = 40) String secretKey,
      @ForAll @AlphaChars @NumericChars @Chars({'/', '+', '='}) @StringLength(min = 0, max = 60) String token,
      @ForAll @IntRange(min = 1, max = 7 * 24 * 60) int validForMinutes,
      @ForAll boolean atTheLocalEndpoint) {
    String key = "imports/0f8fad5b-d9cb-469f-a165-70867728950e/" + name;
    AwsCredentials credentials = new AwsCredentials("ASIAEXAMPLE", secretKey, token.isEmpty() ? null : token);
    Duration validFor = Duration.ofMinutes(validForMinutes);
    URI endpoint = atTheLocalEndpoint ? URI.create(endpoint()) : null;

    URI sdk = sdkPresignedPut(endpoint, credentials, key, validFor);
    Instant signedAt = AMZ_DATE.parse(query(sdk).get("X-Amz-Date"), Instant::from);
    URI ours = new S3ImportFiles(BUCKET, endpoint, "eu-central-1", () -> credentials,
        Clock.fixed(signedAt, ZoneOffset.UTC)).uploadUrl(key, validFor);

    assertThat(ours.toString()).isEqualTo(sdk.toString());
  }

  /** At any moment the signature is the one the SDK's signer gives a presigned S3 PUT. */
  @Property(tries = 60)
  void anUploadUrlIsSignedAsTheSdkPresignsAtAnyTime(
      @ForAll @LongRange(min = 946_684_800L, max = 4_102_444_800L) long epochSecond,
      @ForAll @AlphaChars @Chars({' ', '+', '%', '=', '~', 'ä', '中'}) @StringLength(min = 1, max = 40) String name,
      @ForAll boolean temporaryCredentials) {
    Instant now = Instant.ofEpochSecond(epochSecond);
    AwsCredentials credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG",
        temporaryCredentials ? "IQoJb3JpZ2luX2Vj//token+=" : null);
    URI url = new S3ObjectReader(null, "eu-west-1", () -> credentials, Clock.systemUTC())
        .url("leadcycle-imports", "imports/x/" + name);

    URI ours = AwsRequestSigner.presigned("PUT", url, "s3", "eu-west-1", credentials, now, Duration.ofHours(1));

    AwsCredentialsIdentity identity = credentials.sessionToken() == null
        ? AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey())
        : AwsSessionCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey(),
            credentials.sessionToken());
    SdkHttpRequest sdk = AwsV4HttpSigner.create().sign(r -> r
        .identity(identity)
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(url).build())
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofHours(1))
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC))).request();

    assertThat(query(ours)).isEqualTo(query(sdk.getUri()));
    assertThat(ours.getRawPath()).isEqualTo(sdk.getUri().getRawPath());
  }

  @Test
  void inAwsTheUploadUrlIsTheBucketsVirtualHost() {
    URI url = new S3ImportFiles(BUCKET, null, "eu-central-1", () -> new AwsCredentials("AKID", "secret", null),
        Clock.fixed(Instant.parse("2026-12-06T11:42:07Z"), ZoneOffset.UTC))
        .uploadUrl("imports/0f8fad5b/Kontakte.csv", Duration.ofMinutes(15));

    assertThat(url.getScheme()).isEqualTo("https");
    assertThat(url.getHost()).isEqualTo(BUCKET + ".s3.eu-central-1.amazonaws.com");
    assertThat(url.getRawPath()).isEqualTo("/imports/0f8fad5b/Kontakte.csv");
    assertThat(query(url)).containsEntry("X-Amz-Expires", "900").containsEntry("X-Amz-SignedHeaders", "host")
        .containsEntry("X-Amz-Date", "20261206T114207Z").doesNotContainKey("X-Amz-Security-Token");
  }

  @Test
  void aFileFromTheApiIsPutAsCsvWithAPayloadSignatureS3Checks() {
    AwsCredentials credentials = new AwsCredentials("ASIAKEY", "secret", "token/+=");
    Instant now = Instant.parse("2026-12-06T11:42:07Z");
    byte[] file = "email\nada@example.com\n".getBytes(StandardCharsets.UTF_8);
    ImportFiles files = S3ImportFiles.fromEnvironment(Map.of("IMPORT_BUCKET", BUCKET, "AWS_REGION", "eu-central-1",
        "AWS_ENDPOINT_URL_S3", endpoint() + "/", "AWS_ACCESS_KEY_ID", "ASIAKEY", "AWS_SECRET_ACCESS_KEY", "secret",
        "AWS_SESSION_TOKEN", "token/+="));

    files.put("imports/0f8fad5b/Kontakte März.csv", file);

    assertThat(requests).containsExactly("PUT /" + BUCKET + "/imports/0f8fad5b/Kontakte%20M%C3%A4rz.csv");
    assertThat(bodies.get(0)).isEqualTo(file);
    Map<String, String> sent = headers.get(0);
    assertThat(sent).containsEntry("content-type", "text/csv").containsEntry("x-amz-security-token", "token/+=");

    // What S3 computes from the request it received, at the moment it was signed: the SDK's signer agrees.
    Instant signedAt = AMZ_DATE.parse(sent.get("x-amz-date"), Instant::from);
    URI url = URI.create(endpoint() + "/" + BUCKET + "/imports/0f8fad5b/Kontakte%20M%C3%A4rz.csv");
    SdkHttpRequest sdk = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsSessionCredentialsIdentity.create("ASIAKEY", "secret", "token/+="))
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(url).putHeader("Content-Type", "text/csv")
            .build())
        .payload(ContentStreamProvider.fromByteArray(file))
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-central-1")
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))).request();
    assertThat(sent.get("authorization")).isEqualTo(sdk.firstMatchingHeader("Authorization").orElseThrow());
    assertThat(sent.get("x-amz-content-sha256")).isEqualTo(sdk.firstMatchingHeader("x-amz-content-sha256").orElseThrow());
    assertThat(signedAt).isBetween(now.minusSeconds(1), Instant.now().plusSeconds(1));
  }

  @Test
  void aPutS3FailedIsTriedAgainButOneItRefusedIsNot() {
    S3ImportFiles files = new S3ImportFiles(BUCKET, URI.create(endpoint()), "eu-central-1",
        () -> new AwsCredentials("AKID", "secret", null), Clock.systemUTC());
    statuses.addAll(List.of(500, 503, 200, 403));

    files.put("imports/0f8fad5b/a.csv", new byte[] {'a'});
    assertThat(requests).hasSize(3);

    Throwable refused = catchThrowable(() -> files.put("imports/0f8fad5b/b.csv", new byte[] {'b'}));
    assertThat(refused).hasMessage("S3 answered 403 AccessDenied to the PUT of s3://" + BUCKET + "/imports/0f8fad5b/b.csv");
    assertThat(requests).hasSize(4);
  }

  @Test
  void withoutABucketThereIsNone() {
    assertThat(S3ImportFiles.fromEnvironment(Map.of())).isSameAs(ImportFiles.NONE);
    assertThat(S3ImportFiles.fromEnvironment(Map.of("IMPORT_BUCKET", " "))).isSameAs(ImportFiles.NONE);
  }

  @Test
  void primingSendsNothingAndReadsNoCredentials() {
    new S3ImportFiles(BUCKET, URI.create(endpoint()), "eu-central-1", () -> {
      throw new AssertionError("credentials read while priming");
    }, Clock.systemUTC()).prime();

    assertThat(requests).isEmpty();
  }

  private URI sdkPresignedPut(URI endpoint, AwsCredentials credentials, String key, Duration validFor) {
    AwsCredentialsProvider provider = StaticCredentialsProvider.create(credentials.sessionToken() == null
        ? AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())
        : AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
            credentials.sessionToken()));
    S3Presigner.Builder builder = S3Presigner.builder().region(Region.EU_CENTRAL_1).credentialsProvider(provider);
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    try (S3Presigner presigner = builder.build()) {
      return URI.create(presigner.presignPutObject(p -> p.signatureDuration(validFor)
          .putObjectRequest(o -> o.bucket(BUCKET).key(key))).url().toString());
    }
  }

  /** The query's parameters, still encoded, in their order. */
  private static Map<String, String> query(URI url) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      String[] nameValue = pair.split("=", 2);
      parameters.put(nameValue[0], nameValue[1]);
    }
    return parameters;
  }

  private String endpoint() {
    return "http://127.0.0.1:" + s3.getAddress().getPort();
  }
}
