package io.leadcycle.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The import's file read without the SDK: the object's path encoded as the SDK's S3 client encodes it,
 * signed as S3 checks it (the SDK's signer with S3's settings), and the object read from a loopback S3.
 */
class S3ObjectReaderTest {

  private static final Instant NOW = Instant.parse("2026-12-06T11:42:07Z");
  private static final AwsCredentials CREDENTIALS = new AwsCredentials("ASIAKEY", "wJalrXUtnFEMI/K7MDENG", "token/+=");

  private HttpServer s3;
  private final List<String> requested = new CopyOnWriteArrayList<>();

  @BeforeEach
  @BeforeProperty
  void start() throws Exception {
    s3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s3.createContext("/", exchange -> {
      requested.add(exchange.getRequestURI().getRawPath());
      byte[] body;
      int status;
      if (exchange.getRequestURI().getRawPath().endsWith("missing.csv")) {
        status = 404;
        body = "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"
            .getBytes(StandardCharsets.UTF_8);
      } else {
        status = 200;
        body = "email\nada@example.com\n".getBytes(StandardCharsets.UTF_8);
      }
      exchange.sendResponseHeaders(status, body.length);
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

  @Test
  void anObjectIsReadFromThePathStyleEndpoint() throws Exception {
    S3ObjectReader reader = S3ObjectReader.fromEnvironment(Map.of("AWS_REGION", "eu-central-1",
        "AWS_ENDPOINT_URL_S3", endpoint() + "/", "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret"));

    try (InputStream file = reader.open("leadcycle-imports", "imports/0f8fad5b/Kontakte März 2026.csv")) {
      assertThat(new String(file.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("email\nada@example.com\n");
    }
    assertThat(requested).containsExactly("/leadcycle-imports/imports/0f8fad5b/Kontakte%20M%C3%A4rz%202026.csv");
  }

  @Test
  void aMissingObjectIsNamedWithS3sErrorCode() {
    S3ObjectReader reader = new S3ObjectReader(URI.create(endpoint()), "eu-central-1", () -> CREDENTIALS,
        Clock.systemUTC());

    Throwable thrown = catchThrowable(() -> reader.open("leadcycle-imports", "imports/0f8fad5b/missing.csv"));

    assertThat(thrown).hasMessage("S3 answered 404 NoSuchKey for s3://leadcycle-imports/imports/0f8fad5b/missing.csv");
  }

  @Test
  void inAwsTheBucketIsAddressedByItsVirtualHost() {
    assertThat(new S3ObjectReader(null, "eu-central-1", () -> CREDENTIALS, Clock.systemUTC())
        .url("leadcycle-imports-123456789012-eu-central-1", "imports/a b.csv"))
        .hasToString("https://leadcycle-imports-123456789012-eu-central-1.s3.eu-central-1.amazonaws.com/imports/a%20b.csv");
  }

  /** The path the SDK's S3 client sends for a key is the path we send. */
  @Property(tries = 100)
  void keysAreEncodedAsTheSdkEncodesThem(@ForAll @AlphaChars @NumericChars
      @Chars({' ', '+', '%', '&', '=', '?', '#', '(', ')', '*', '!', '\'', ',', ';', ':', '@', '$', '~', '.', '_', '-',
          '[', ']', '{', '}', '^', '`', '|', '\\', '"', '<', '>', 'ä', 'ß', '€', '中', '😀'})
      @StringLength(min = 1, max = 40) String name) {
    String key = "imports/0f8fad5b-d9cb-469f-a165-70867728950e/" + name.replace('\u0000', 'x');
    List<String> sdkPaths = new CopyOnWriteArrayList<>();
    requested.clear();
    try (S3Client client = S3Client.builder().endpointOverride(URI.create(endpoint())).forcePathStyle(true)
        .region(Region.EU_CENTRAL_1).httpClientBuilder(UrlConnectionHttpClient.builder())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"))).build()) {
      client.getObject(b -> b.bucket("leadcycle-imports").key(key)).close();
      sdkPaths.addAll(requested);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    S3ObjectReader ours = new S3ObjectReader(URI.create(endpoint()), "eu-central-1", () -> CREDENTIALS, Clock.systemUTC());
    assertThat(ours.url("leadcycle-imports", key).getRawPath()).isEqualTo(sdkPaths.get(0));
  }

  /** What we sign for a GET is what S3 computes from it: the SDK's signer with S3's settings agrees. */
  @Property(tries = 60)
  void aGetIsSignedAsS3ChecksIt(@ForAll @AlphaChars @Chars({' ', '+', '%', '=', '~', 'ä', '中'})
      @StringLength(min = 1, max = 40) String name) {
    URI url = new S3ObjectReader(null, "eu-west-1", () -> CREDENTIALS, Clock.systemUTC())
        .url("leadcycle-imports", "imports/x/" + name);
    Map<String, String> ours = AwsRequestSigner.signedGet(url, "s3", "eu-west-1", CREDENTIALS, NOW);

    SdkHttpRequest sdk = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsSessionCredentialsIdentity.create(CREDENTIALS.accessKeyId(), CREDENTIALS.secretAccessKey(),
            CREDENTIALS.sessionToken()))
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(url).build())
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC))).request();

    assertThat(ours.get("authorization")).isEqualTo(sdk.firstMatchingHeader("Authorization").orElseThrow());
  }

  private String endpoint() {
    return "http://127.0.0.1:" + s3.getAddress().getPort();
  }
}
