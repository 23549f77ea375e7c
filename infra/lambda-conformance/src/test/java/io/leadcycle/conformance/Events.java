package io.leadcycle.conformance;

import io.leadcycle.testing.SqsChecksums;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Events in the shapes AWS sends them (after the fixtures in ../shared/samples/aws, from AWS's own
 * Lambda Java libraries): HTTP API payload 2.0 (lower-cased header names, path parameters, the JWT
 * authorizer's claims on guarded routes, base64 bodies where API Gateway encodes them), an EventBridge
 * rule's scheduled event ({@code detail} an object), SQS records (FIFO attributes on a FIFO queue), an S3
 * object-created notification and CloudFormation's custom-resource requests.
 */
final class Events {

  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}+]+)\\+?}");
  private static final DateTimeFormatter API_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);
  private static final String API_ID = "a1b2c3d4e5";

  private Events() {
  }

  /** A request to one HTTP API route. */
  record HttpRequest(String method, String routePath, Map<String, String> pathParameters, String rawQuery,
      Map<String, String> headers, byte[] body, boolean base64, boolean management) {
  }

  /** The HTTP API's event for {@code request}: payload format 2.0. */
  static String http(HttpRequest request) {
    String path = request.routePath();
    Matcher parameter = PATH_PARAMETER.matcher(path);
    StringBuilder rawPath = new StringBuilder();
    while (parameter.find()) {
      String value = request.pathParameters().get(parameter.group(1));
      parameter.appendReplacement(rawPath, Matcher.quoteReplacement(value));
    }
    parameter.appendTail(rawPath);
    Instant now = Instant.now();
    String routeKey = request.method() + " " + path;
    String sourceIp = "203.0.113.9";
    String userAgent = "leadcycle-conformance/1.0";
    JsonObject headers = new JsonObject()
        .put("accept", "application/json, */*")
        .put("host", API_ID + ".execute-api." + FakeAws.REGION + ".amazonaws.com")
        .put("user-agent", userAgent)
        .put("x-amzn-trace-id", "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-0123456789abcdef01234567")
        .put("x-forwarded-for", sourceIp)
        .put("x-forwarded-port", "443")
        .put("x-forwarded-proto", "https");
    request.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
    JsonObject context = new JsonObject()
        .put("accountId", FakeAws.ACCOUNT)
        .put("apiId", API_ID)
        .put("domainName", API_ID + ".execute-api." + FakeAws.REGION + ".amazonaws.com")
        .put("domainPrefix", API_ID)
        .put("http", new JsonObject().put("method", request.method()).put("path", rawPath.toString())
            .put("protocol", "HTTP/1.1").put("sourceIp", sourceIp).put("userAgent", userAgent))
        .put("requestId", requestId())
        .put("routeKey", routeKey)
        .put("stage", "$default")
        .put("time", API_TIME.format(now))
        .put("timeEpoch", now.toEpochMilli());
    if (request.management()) {
      headers.put("authorization", "Bearer eyJraWQiOiJjb25mb3JtYW5jZSIsImFsZyI6IlJTMjU2In0.e30.c2lnbmF0dXJl");
      // What API Gateway's JWT authorizer passes on for a Cognito access token: every claim as text.
      context.put("authorizer", new JsonObject().put("jwt", new JsonObject()
          .put("claims", new JsonObject()
              .put("sub", "3f1c9a52-8b6e-4d1f-9c3a-7e2b5d4a6f10")
              .put("iss", "https://cognito-idp." + FakeAws.REGION + ".amazonaws.com/" + FakeAws.REGION + "_Conform01")
              .put("client_id", "4example5client6id7conformance")
              .put("origin_jti", UUID.randomUUID().toString())
              .put("event_id", UUID.randomUUID().toString())
              .put("token_use", "access")
              .put("scope", "openid email")
              .put("auth_time", Long.toString(now.getEpochSecond() - 60))
              .put("exp", Long.toString(now.getEpochSecond() + 3540))
              .put("iat", Long.toString(now.getEpochSecond() - 60))
              .put("jti", UUID.randomUUID().toString())
              .put("username", "grace.hopper")
              // The user's groups, the roles (docs/api.md, "People and roles"), as HTTP API passes a list claim.
              .put("cognito:groups", "[admin]"))
          .put("scopes", new JsonArray().add("openid").add("email"))));
    }
    JsonObject event = new JsonObject()
        .put("version", "2.0")
        .put("routeKey", routeKey)
        .put("rawPath", rawPath.toString())
        .put("rawQueryString", request.rawQuery())
        .put("headers", headers)
        .put("requestContext", context)
        .put("isBase64Encoded", request.base64());
    if (!request.rawQuery().isEmpty()) {
      JsonObject query = new JsonObject();
      for (String pair : request.rawQuery().split("&")) {
        String[] nameValue = pair.split("=", 2);
        String name = decode(nameValue[0]);
        String value = nameValue.length > 1 ? decode(nameValue[1]) : "";
        // Payload 2.0 joins repeated query parameters with commas.
        query.put(name, query.containsKey(name) ? query.getString(name) + "," + value : value);
      }
      event.put("queryStringParameters", query);
    }
    if (!request.pathParameters().isEmpty()) {
      event.put("pathParameters", new JsonObject(new LinkedHashMap<>(request.pathParameters())));
    }
    if (request.body() != null) {
      event.put("body", request.base64() ? Base64.getEncoder().encodeToString(request.body())
          : new String(request.body(), StandardCharsets.UTF_8));
    }
    return event.encode();
  }

  /** What an EventBridge rule ({@code Type: Schedule}) sends. */
  static String scheduled(String functionId, String eventName) {
    return new JsonObject()
        .put("version", "0")
        .put("id", UUID.randomUUID().toString())
        .put("detail-type", "Scheduled Event")
        .put("source", "aws.events")
        .put("account", FakeAws.ACCOUNT)
        .put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .put("region", FakeAws.REGION)
        .put("resources", new JsonArray().add("arn:aws:events:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT
            + ":rule/leadcycle-" + functionId + eventName))
        .put("detail", new JsonObject())
        .encode();
  }

  /** One SQS record from {@code queueArn}; FIFO queues' records carry group, sequence and deduplication ids. */
  static JsonObject sqsRecord(String queueArn, String body) {
    long sent = System.currentTimeMillis();
    JsonObject attributes = new JsonObject()
        .put("ApproximateReceiveCount", "1")
        .put("SentTimestamp", Long.toString(sent))
        .put("SenderId", "AROAIFU457DVZ5L2J53F2:leadcycle")
        .put("ApproximateFirstReceiveTimestamp", Long.toString(sent + 4));
    if (queueArn.endsWith(".fifo")) {
      attributes.put("SequenceNumber", "18849496460467696128").put("MessageGroupId", "nudge")
          .put("MessageDeduplicationId", Long.toString(sent / 1000));
    }
    return new JsonObject()
        .put("messageId", UUID.randomUUID().toString())
        .put("receiptHandle", "AQEB" + Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)))
        .put("body", body)
        .put("attributes", attributes)
        .put("messageAttributes", new JsonObject())
        .put("md5OfBody", SqsChecksums.md5Hex(body))
        .put("eventSource", "aws:sqs")
        .put("eventSourceARN", queueArn)
        .put("awsRegion", FakeAws.REGION);
  }

  static String sqs(JsonObject... records) {
    JsonArray all = new JsonArray();
    for (JsonObject record : records) {
      all.add(record);
    }
    return new JsonObject().put("Records", all).encode();
  }

  /** S3's notification that {@code key} was put into {@code bucket} (the key URL-encoded, as S3 sends it). */
  static String objectCreated(String bucket, String key, long size) {
    return new JsonObject().put("Records", new JsonArray().add(new JsonObject()
        .put("eventVersion", "2.1")
        .put("eventSource", "aws:s3")
        .put("awsRegion", FakeAws.REGION)
        .put("eventTime", Instant.now().toString())
        .put("eventName", "ObjectCreated:Put")
        .put("userIdentity", new JsonObject().put("principalId", "AWS:AROAEXAMPLE:conformance"))
        .put("requestParameters", new JsonObject().put("sourceIPAddress", "203.0.113.9"))
        .put("responseElements", new JsonObject().put("x-amz-request-id", "C3D13FE58DE4C810")
            .put("x-amz-id-2", "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"))
        .put("s3", new JsonObject()
            .put("s3SchemaVersion", "1.0")
            .put("configurationId", "leadcycle-import")
            .put("bucket", new JsonObject().put("name", bucket)
                .put("ownerIdentity", new JsonObject().put("principalId", "A3NL1KOZZKExample"))
                .put("arn", "arn:aws:s3:::" + bucket))
            .put("object", new JsonObject()
                .put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"))
                .put("size", size)
                .put("eTag", "0123456789abcdef0123456789abcdef")
                .put("sequencer", "0055AED6DCD90281E5"))))).encode();
  }

  /** CloudFormation's request to a custom resource's function. */
  static String customResource(String requestType, String requestId, String responseUrl, String functionArn,
      Map<String, Object> resource, String physicalResourceId) {
    JsonObject properties = new JsonObject();
    resource.forEach((name, value) -> {
      if (!name.equals("LogicalResourceId") && !name.equals("ResourceType")) {
        // CloudFormation hands every property value over as text.
        properties.put(name, name.equals("ServiceToken") ? functionArn
            : value instanceof String text ? text : "conformance-" + name);
      }
    });
    JsonObject event = new JsonObject()
        .put("RequestType", requestType)
        .put("ServiceToken", functionArn)
        .put("ResponseURL", responseUrl)
        .put("StackId", "arn:aws:cloudformation:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT
            + ":stack/leadcycle/5b8e2d40-7d2c-11ef-9e6a-0a1b2c3d4e5f")
        .put("RequestId", requestId)
        .put("LogicalResourceId", resource.get("LogicalResourceId"))
        .put("ResourceType", resource.get("ResourceType"))
        .put("ResourceProperties", properties);
    if (physicalResourceId != null) {
      event.put("PhysicalResourceId", physicalResourceId); // what the Create's response named
    }
    if (requestType.equals("Update")) {
      event.put("OldResourceProperties", properties.copy().put("FunctionVersion", "0"));
    }
    return event.encode();
  }

  private static String requestId() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString().getBytes(
        StandardCharsets.UTF_8)).substring(0, 16) + "=";
  }

  private static String decode(String text) {
    return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
