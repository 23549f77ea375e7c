package io.leadcycle.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * SendMessage without the SDK, against a loopback SQS: what we send is what the SDK's SQS client sends for
 * the same message (the JSON protocol's body, target and content type), the checksums we check are the
 * ones the SDK checks (it accepts the fake's answers computed with ours), and failures are tried again
 * where the SDK would try them again.
 */
class SqsSenderTest {

  private static final String QUEUE = "https://sqs.eu-central-1.amazonaws.com/123456789012/leadcycle-dlq";

  private HttpServer sqs;
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  private final List<Integer> statuses = new CopyOnWriteArrayList<>();
  /** What the fake answers a SendMessage that succeeded; by default what SQS answers. */
  private final AtomicReference<UnaryOperator<JsonObject>> answer = new AtomicReference<>(SqsSenderTest::sqsAnswer);

  @BeforeEach
  @BeforeProperty
  void start() throws IOException {
    sqs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sqs.createContext("/", exchange -> {
      JsonObject request;
      try (InputStream body = exchange.getRequestBody()) {
        request = new JsonObject(new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
      requests.add(request);
      Map<String, String> received = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> received.put(name.toLowerCase(), values.get(0)));
      headers.add(received);
      int status = statuses.isEmpty() ? 200 : statuses.remove(0);
      JsonObject reply = switch (status) {
        case 200 -> answer.get().apply(request);
        case 400 -> new JsonObject().put("__type", "com.amazonaws.sqs#QueueDoesNotExist")
            .put("message", "The specified queue does not exist.");
        case 429 -> new JsonObject().put("__type", "com.amazonaws.sqs#RequestThrottled").put("message", "slow down");
        default -> new JsonObject().put("__type", "com.amazonaws.sqs#InternalError").put("message", "internal error");
      };
      byte[] bytes = reply.encode().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    sqs.start();
  }

  @AfterEach
  @AfterProperty
  void stop() {
    sqs.stop(0);
  }

  /** SQS's answer, its checksums computed with our code: the SDK's client refuses it if they are not its own. */
  private static JsonObject sqsAnswer(JsonObject request) {
    JsonObject reply = new JsonObject().put("MessageId", "5fea7756-0ea4-451a-a703-a558b933e274")
        .put("MD5OfMessageBody", SqsSender.md5Hex(request.getString("MessageBody").getBytes(StandardCharsets.UTF_8)));
    JsonObject attributes = request.getJsonObject("MessageAttributes");
    if (attributes != null && !attributes.isEmpty()) {
      reply.put("MD5OfMessageAttributes", SqsSender.attributesMd5(attributes));
    }
    return reply;
  }

  @Property(tries = 40)
  void aMessageIsSentAsTheSdkSendsItAndItsChecksumsAreTheSdks(
      @ForAll @AlphaChars @NumericChars @Chars({' ', '"', '\\', '\n', '\t', '{', '}', 'ä', '中', '€'})
      @StringLength(min = 1, max = 200) String body,
      @ForAll @Size(max = 10) Map<@AlphaChars @StringLength(min = 1, max = 20) String,
          @AlphaChars @NumericChars @Chars({' ', 'ä', '中', '"'}) @StringLength(min = 1, max = 40) String> strings,
      @ForAll @Size(max = 3) Map<@AlphaChars @StringLength(min = 1, max = 20) String,
          @StringLength(min = 1, max = 30) String> binaries,
      @ForAll boolean fifo) {
    SendMessageRequest.Builder sdkRequest = SendMessageRequest.builder().queueUrl(QUEUE).messageBody(body);
    JsonObject ours = new JsonObject().put("QueueUrl", QUEUE).put("MessageBody", body);
    Map<String, MessageAttributeValue> sdkAttributes = new LinkedHashMap<>();
    JsonObject ourAttributes = new JsonObject();
    strings.forEach((name, value) -> {
      String type = name.length() % 2 == 0 ? "String" : "Number.custom";
      sdkAttributes.put("s-" + name, MessageAttributeValue.builder().dataType(type).stringValue(value).build());
      ourAttributes.put("s-" + name, new JsonObject().put("DataType", type).put("StringValue", value));
    });
    binaries.forEach((name, value) -> {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_16BE);
      sdkAttributes.put("b-" + name, MessageAttributeValue.builder().dataType("Binary")
          .binaryValue(SdkBytes.fromByteArray(bytes)).build());
      ourAttributes.put("b-" + name, new JsonObject().put("DataType", "Binary")
          .put("BinaryValue", Base64.getEncoder().encodeToString(bytes)));
    });
    if (!sdkAttributes.isEmpty()) {
      sdkRequest.messageAttributes(sdkAttributes);
      ours.put("MessageAttributes", ourAttributes);
    }
    if (fifo) {
      sdkRequest.messageGroupId("lead-0f8fad5b").messageDeduplicationId("d9144555");
      ours.put("MessageGroupId", "lead-0f8fad5b").put("MessageDeduplicationId", "d9144555");
    }
    requests.clear();
    headers.clear();

    try (SqsClient sdk = sdkClient()) {
      sdk.sendMessage(sdkRequest.build());
    }
    String messageId = sender().sendMessage(ours);

    assertThat(messageId).isEqualTo("5fea7756-0ea4-451a-a703-a558b933e274");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1)).isEqualTo(requests.get(0));
    for (String header : List.of("x-amz-target", "content-type")) {
      assertThat(headers.get(1).get(header)).isEqualTo(headers.get(0).get(header));
    }
    assertThat(headers.get(1).get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/eu-central-1/sqs/aws4_request");
  }

  @Test
  void aBodyChecksumThatIsNotTheBodysFailsTheSend() {
    answer.set(request -> sqsAnswer(request).put("MD5OfMessageBody", SqsSender.md5Hex(new byte[] {'x'})));

    Throwable thrown = catchThrowable(() -> sender().sendMessage(new JsonObject().put("QueueUrl", QUEUE)
        .put("MessageBody", "{\"reason\":\"outbox\"}")));

    assertThat(thrown).hasMessageContaining("MD5 of the message body");
    assertThat(requests).hasSize(1);
  }

  @Test
  void anAttributesChecksumThatIsNotTheAttributesFailsTheSend() {
    answer.set(request -> sqsAnswer(request).put("MD5OfMessageAttributes", SqsSender.md5Hex(new byte[] {'x'})));

    Throwable thrown = catchThrowable(() -> sender().sendMessage(new JsonObject().put("QueueUrl", QUEUE)
        .put("MessageBody", "b").put("MessageAttributes", new JsonObject()
            .put("leadcycle-refusal-reason", new JsonObject().put("DataType", "String").put("StringValue", "x")))));

    assertThat(thrown).hasMessageContaining("MD5 of the message attributes");
  }

  @Test
  void serverErrorsAndThrottlingAreTriedAgainFourTimesInAll() {
    statuses.addAll(List.of(500, 429, 503));

    assertThat(sender().sendMessage(new JsonObject().put("QueueUrl", QUEUE).put("MessageBody", "b")))
        .isEqualTo("5fea7756-0ea4-451a-a703-a558b933e274");
    assertThat(requests).hasSize(4);

    statuses.addAll(List.of(500, 500, 500, 500));
    requests.clear();
    Throwable thrown = catchThrowable(() -> sender().sendMessage(new JsonObject().put("QueueUrl", QUEUE)
        .put("MessageBody", "b")));
    assertThat(thrown).hasMessage("SQS answered 500 InternalError: internal error to SendMessage to " + QUEUE);
    assertThat(requests).hasSize(4);
  }

  @Test
  void aSendSqsRefusedIsNotTriedAgain() {
    statuses.add(400);

    Throwable thrown = catchThrowable(() -> sender().sendMessage(new JsonObject().put("QueueUrl", QUEUE)
        .put("MessageBody", "b")));

    assertThat(thrown).hasMessage("SQS answered 400 QueueDoesNotExist: The specified queue does not exist. "
        + "to SendMessage to " + QUEUE);
    assertThat(requests).hasSize(1);
  }

  @Test
  void anUnreachableSqsFailsTheSend() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    SqsSender sender = new SqsSender(URI.create("http://127.0.0.1:" + closedPort), "eu-central-1",
        () -> new AwsCredentials("AKIDEXAMPLE", "secret", null), Clock.systemUTC());

    Throwable thrown = catchThrowable(() -> sender.sendMessage(new JsonObject().put("QueueUrl", QUEUE)
        .put("MessageBody", "b")));

    assertThat(thrown).hasMessageStartingWith("cannot reach SQS at http://127.0.0.1:" + closedPort);
  }

  @Test
  void theEndpointIsSqssOwnUnlessTheEnvironmentSetsOne() {
    Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret");
    assertThat(SqsSender.fromEnvironment(with(credentials, "AWS_REGION", "eu-central-1")))
        .hasToString("SqsSender[https://sqs.eu-central-1.amazonaws.com]");
    assertThat(SqsSender.fromEnvironment(with(credentials, "AWS_REGION", "cn-north-1")))
        .hasToString("SqsSender[https://sqs.cn-north-1.amazonaws.com.cn]");
    assertThat(SqsSender.fromEnvironment(Map.of("AWS_REGION", "eu-central-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:4566/",
        "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324/"))).hasToString("SqsSender[http://127.0.0.1:9324]");
    assertThat(SqsSender.fromEnvironment(Map.of("AWS_REGION", "eu-central-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:4566")))
        .hasToString("SqsSender[http://127.0.0.1:4566]");

    // Signed with the environment's credentials, sent to the environment's endpoint.
    SqsSender.fromEnvironment(Map.of("AWS_REGION", "eu-central-1", "AWS_ENDPOINT_URL_SQS", endpoint(),
        "AWS_ACCESS_KEY_ID", "ASIAENVIRONMENT", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", "session"))
        .sendMessage(new JsonObject().put("QueueUrl", QUEUE).put("MessageBody", "b"));
    assertThat(headers.get(0).get("authorization")).contains("Credential=ASIAENVIRONMENT/");
    assertThat(headers.get(0).get("x-amz-security-token")).isEqualTo("session");
  }

  private static Map<String, String> with(Map<String, String> env, String name, String value) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.put(name, value);
    return all;
  }

  private SqsSender sender() {
    return new SqsSender(URI.create(endpoint()), "eu-central-1", () -> new AwsCredentials("AKIDEXAMPLE", "secret", null),
        Clock.systemUTC());
  }

  private SqsClient sdkClient() {
    return SqsClient.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.EU_CENTRAL_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private String endpoint() {
    return "http://127.0.0.1:" + sqs.getAddress().getPort();
  }
}
