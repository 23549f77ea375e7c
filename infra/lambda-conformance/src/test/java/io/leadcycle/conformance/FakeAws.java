package io.leadcycle.conformance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leadcycle.testing.SqsChecksums;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The AWS services the functions call, on one loopback endpoint that the function JVMs reach through
 * {@code AWS_ENDPOINT_URL} (the AWS SDK's own setting, which our SDK-less calls read as it does): Secrets
 * Manager's GetSecretValue and SQS's SendMessage (AWS JSON protocol, told apart by {@code X-Amz-Target}),
 * S3 objects (path-style GET and PUT, signed in the headers or presigned in the query; {@code aws-chunked}
 * bodies, as the SDK uploads, are understood too), and CloudFormation's pre-signed response URLs
 * ({@code PUT /cloudformation/...}). The functions' own signed calls, in their shaded jars, talk to it.
 */
final class FakeAws implements AutoCloseable {

  static final String REGION = "eu-central-1";
  static final String ACCOUNT = "123456789012";

  /** The key Lambda puts in AWS_ACCESS_KEY_ID, and the one its container credentials endpoint hands out (SnapStart). */
  static final String ENVIRONMENT_KEY = "ASIACONFORMANCEENVIRONMENT";
  static final String CONTAINER_KEY = "ASIACONFORMANCECONTAINER";
  private static final String CONTAINER_TOKEN = "container-token-" + UUID.randomUUID();

  /** A message an SQS queue received. */
  record SentMessage(String queueUrl, JsonObject request) {
  }

  private final HttpServer server;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final List<SentMessage> sent = new CopyOnWriteArrayList<>();
  private final Map<String, JsonObject> cloudFormationResponses = new ConcurrentHashMap<>();
  private final List<String> unknown = new CopyOnWriteArrayList<>();
  private volatile boolean refuseSqs;
  private final java.util.concurrent.atomic.AtomicInteger containerCredentialsServed = new java.util.concurrent.atomic.AtomicInteger();

  FakeAws() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(8, r -> {
      Thread thread = new Thread(r, "fake-aws");
      thread.setDaemon(true);
      return thread;
    }));
    server.createContext("/", this::serve);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Lambda's credential variables: the keys themselves, or with SnapStart the container credentials
   * endpoint (served here) and its token. The runtime takes the ones its initialization type uses.
   */
  Map<String, String> credentials() {
    return Map.of("AWS_ACCESS_KEY_ID", ENVIRONMENT_KEY, "AWS_SECRET_ACCESS_KEY", "conformance/environment/secret",
        "AWS_SESSION_TOKEN", "conformance-environment-session",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint() + "/2021-04-23/functions/function/credentials",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_TOKEN);
  }

  /** Adds a secret (by ARN) whose SecretString is {@code value}. */
  void secret(String arn, JsonObject value) {
    secret(arn, value.encode());
  }

  /** Adds a secret (by ARN) whose SecretString is the text {@code value}. */
  void secret(String arn, String value) {
    secrets.put(arn, value);
  }

  void object(String bucket, String key, byte[] content) {
    objects.put(bucket + "/" + key, content);
  }

  byte[] object(String bucket, String key) {
    return objects.get(bucket + "/" + key);
  }

  List<SentMessage> sent() {
    return sent;
  }

  /** The body CloudFormation's response URL {@code /cloudformation/<id>} received, or null. */
  JsonObject cloudFormationResponse(String id) {
    return cloudFormationResponses.get(id);
  }

  String cloudFormationResponseUrl(String id) {
    // Shaped like the pre-signed S3 URL CloudFormation sends (query string included).
    return endpoint() + "/cloudformation/" + id + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=7200";
  }

  /** While true, SQS answers every SendMessage with an internal error (a queue that cannot be reached). */
  void refuseSqs(boolean refuse) {
    refuseSqs = refuse;
  }

  /** How often the container credentials endpoint answered (SnapStart functions ask it). */
  int containerCredentialsServed() {
    return containerCredentialsServed.get();
  }

  /** Requests no fake knows (a call the suite did not expect). */
  List<String> unknown() {
    return unknown;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = readBody(exchange);
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (path.endsWith("/functions/function/credentials") && method.equals("GET")) {
        containerCredentials(exchange, authorization);
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      boolean presigned = path.startsWith("/cloudformation/") || query != null && query.contains("X-Amz-Signature");
      if (presigned && !path.startsWith("/cloudformation/") && !(query.contains("X-Amz-Credential=" + ENVIRONMENT_KEY
          + "%2F") || query.contains("X-Amz-Credential=" + CONTAINER_KEY + "%2F"))) {
        // An upload URL the imports API presigned, but not with the credentials Lambda gave the function.
        unknown.add("a presigned URL not signed with the function's credentials: " + method + " " + path + "?" + query);
        send(exchange, 403, "application/xml", "<Error><Code>InvalidAccessKeyId</Code></Error>"
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!presigned && (authorization == null || !(authorization.contains("Credential=" + ENVIRONMENT_KEY + "/")
          || authorization.contains("Credential=" + CONTAINER_KEY + "/")))) {
        // Not signed with the credentials Lambda gave the function: AWS would refuse it.
        unknown.add("a request not signed with the function's credentials: " + method + " " + path + " " + target);
        send(exchange, 403, "application/json", "{\"__type\":\"UnrecognizedClientException\"}"
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (target != null) {
        json(exchange, target, new JsonObject(new String(body, StandardCharsets.UTF_8)));
      } else if (path.startsWith("/cloudformation/") && method.equals("PUT")) {
        cloudFormationResponses.put(path.substring("/cloudformation/".length()),
            new JsonObject(new String(body, StandardCharsets.UTF_8)));
        send(exchange, 200, "text/plain", new byte[0]);
      } else if (method.equals("PUT")) {
        objects.put(objectName(path), body);
        exchange.getResponseHeaders().add("ETag", "\"" + SqsChecksums.md5Hex(body) + "\"");
        send(exchange, 200, "text/plain", new byte[0]);
      } else if (method.equals("GET") || method.equals("HEAD")) {
        byte[] object = objects.get(objectName(path));
        if (object == null) {
          send(exchange, 404, "application/xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
              + "<Message>The specified key does not exist.</Message></Error>").getBytes(StandardCharsets.UTF_8));
        } else {
          exchange.getResponseHeaders().add("ETag", "\"" + SqsChecksums.md5Hex(object) + "\"");
          send(exchange, 200, "text/csv", method.equals("HEAD") ? new byte[0] : object);
        }
      } else {
        unknown.add(method + " " + path);
        send(exchange, 400, "text/plain", new byte[0]);
      }
    }
  }

  private void containerCredentials(HttpExchange exchange, String authorization) throws IOException {
    if (!CONTAINER_TOKEN.equals(authorization)) {
      unknown.add("container credentials asked for without the authorization token");
      send(exchange, 403, "application/json", new byte[0]);
      return;
    }
    containerCredentialsServed.incrementAndGet();
    send(exchange, 200, "application/json", new JsonObject().put("AccessKeyId", CONTAINER_KEY)
        .put("SecretAccessKey", "conformance/container/secret").put("Token", "conformance-container-session")
        .put("Expiration", java.time.Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .toString()).encode().getBytes(StandardCharsets.UTF_8));
  }

  private void json(HttpExchange exchange, String target, JsonObject request) throws IOException {
    JsonObject answer;
    int status = 200;
    switch (target) {
      case "secretsmanager.GetSecretValue" -> {
        String secret = secrets.get(request.getString("SecretId"));
        if (secret == null) {
          status = 400;
          answer = new JsonObject().put("__type", "ResourceNotFoundException")
              .put("Message", "Secrets Manager can't find the specified secret.");
        } else {
          answer = new JsonObject().put("ARN", request.getString("SecretId")).put("Name", "conformance")
              .put("SecretString", secret).put("VersionId", UUID.randomUUID().toString())
              .put("VersionStages", List.of("AWSCURRENT"));
        }
      }
      case "AmazonSQS.SendMessage" -> {
        if (refuseSqs) {
          exchange.getResponseHeaders().add("x-amzn-query-error", "InternalError;Receiver");
          send(exchange, 500, "application/x-amz-json-1.0", new JsonObject().put("__type", "com.amazonaws.sqs#InternalError")
              .put("message", "We encountered an internal error. Please try again.").encode().getBytes(StandardCharsets.UTF_8));
          return;
        }
        sent.add(new SentMessage(request.getString("QueueUrl"), request));
        answer = new JsonObject().put("MessageId", UUID.randomUUID().toString())
            .put("MD5OfMessageBody", SqsChecksums.md5Hex(request.getString("MessageBody")));
        JsonObject attributes = request.getJsonObject("MessageAttributes");
        if (attributes != null && !attributes.isEmpty()) {
          answer.put("MD5OfMessageAttributes", SqsChecksums.attributesMd5(attributes));
        }
        if (request.containsKey("MessageGroupId")) {
          answer.put("SequenceNumber", "18849496460467696128");
        }
      }
      default -> {
        unknown.add(target);
        status = 400;
        answer = new JsonObject().put("__type", "UnknownOperationException");
      }
    }
    send(exchange, status, "application/x-amz-json-1.1", answer.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** {@code /bucket/key} (path-style, as the SDK addresses a bucket at an IP endpoint), key decoded. */
  private static String objectName(String rawPath) {
    return URLDecoder.decode(rawPath.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The request body; an {@code aws-chunked} one (the SDK's uploads with a trailing checksum) decoded. */
  private static byte[] readBody(HttpExchange exchange) throws IOException {
    byte[] raw;
    try (InputStream in = exchange.getRequestBody()) {
      raw = in.readAllBytes();
    }
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding == null || !encoding.contains("aws-chunked")) {
      return raw;
    }
    ByteArrayOutputStream decoded = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = indexOf(raw, at);
      String header = new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII);
      int size = Integer.parseInt(header.split(";", 2)[0].strip(), 16);
      at = lineEnd + 2;
      if (size == 0) {
        return decoded.toByteArray(); // what follows are the trailing checksum headers
      }
      decoded.write(raw, at, size);
      at += size + 2;
    }
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    throw new IllegalStateException("an aws-chunked body without its line ends");
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
    RuntimeApi.send(exchange, status, body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
