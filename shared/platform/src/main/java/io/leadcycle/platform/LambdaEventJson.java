package io.leadcycle.platform;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lambda events the functions take, read from the JSON Lambda sends, and their answers written as
 * JSON: what AWS's Java runtime would do with {@code aws-lambda-java-serialization} for a
 * {@code RequestHandler}, done here because the functions are stream handlers. The runtime builds a
 * Jackson object mapper with a mix-in per event class on every cold start (about 600 classes, a fifth of
 * a second); these few mappings read with the JSON parser the functions load anyway. LambdaEventJsonTest
 * holds them to the runtime's serializer, event by event.
 */
public final class LambdaEventJson {

  private LambdaEventJson() {
  }

  /** An HTTP API request, payload format 2.0. */
  public static APIGatewayV2HTTPEvent httpEvent(JsonObject json) {
    JsonObject context = json.getJsonObject("requestContext");
    APIGatewayV2HTTPEvent.RequestContext requestContext = null;
    if (context != null) {
      JsonObject http = context.getJsonObject("http");
      requestContext = APIGatewayV2HTTPEvent.RequestContext.builder()
          .withRouteKey(context.getString("routeKey"))
          .withAccountId(context.getString("accountId"))
          .withStage(context.getString("stage"))
          .withApiId(context.getString("apiId"))
          .withDomainName(context.getString("domainName"))
          .withDomainPrefix(context.getString("domainPrefix"))
          .withTime(context.getString("time"))
          .withTimeEpoch(context.getLong("timeEpoch", 0L))
          .withRequestId(context.getString("requestId"))
          .withHttp(http == null ? null : APIGatewayV2HTTPEvent.RequestContext.Http.builder()
              .withMethod(http.getString("method"))
              .withPath(http.getString("path"))
              .withProtocol(http.getString("protocol"))
              .withSourceIp(http.getString("sourceIp"))
              .withUserAgent(http.getString("userAgent"))
              .build())
          .withAuthorizer(authorizer(context.getJsonObject("authorizer")))
          .build();
    }
    return APIGatewayV2HTTPEvent.builder()
        .withVersion(json.getString("version"))
        .withRouteKey(json.getString("routeKey"))
        .withRawPath(json.getString("rawPath"))
        .withRawQueryString(json.getString("rawQueryString"))
        .withCookies(strings(json.getJsonArray("cookies")))
        .withHeaders(textMap(json.getJsonObject("headers")))
        .withQueryStringParameters(textMap(json.getJsonObject("queryStringParameters")))
        .withPathParameters(textMap(json.getJsonObject("pathParameters")))
        .withStageVariables(textMap(json.getJsonObject("stageVariables")))
        .withBody(json.getString("body"))
        .withIsBase64Encoded(json.getBoolean("isBase64Encoded", false))
        .withRequestContext(requestContext)
        .build();
  }

  private static APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer(JsonObject json) {
    if (json == null) {
      return null;
    }
    JsonObject jwt = json.getJsonObject("jwt");
    JsonObject iam = json.getJsonObject("iam");
    return APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
        .withJwt(jwt == null ? null : APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
            .withClaims(textMap(jwt.getJsonObject("claims")))
            .withScopes(strings(jwt.getJsonArray("scopes")))
            .build())
        .withLambda(json.getJsonObject("lambda") == null ? null : json.getJsonObject("lambda").getMap())
        .withIam(iam == null ? null : APIGatewayV2HTTPEvent.RequestContext.IAM.builder()
            .withAccessKey(iam.getString("accessKey"))
            .withAccountId(iam.getString("accountId"))
            .withCallerId(iam.getString("callerId"))
            .withPrincipalOrgId(iam.getString("principalOrgId"))
            .withUserArn(iam.getString("userArn"))
            .withUserId(iam.getString("userId"))
            .build())
        .build();
  }

  /** The answer API Gateway reads: members that are not set are left out. */
  public static JsonObject httpResponse(APIGatewayV2HTTPResponse response) {
    JsonObject json = new JsonObject().put("statusCode", response.getStatusCode());
    if (response.getHeaders() != null) {
      json.put("headers", new JsonObject(new LinkedHashMap<>(response.getHeaders())));
    }
    if (response.getMultiValueHeaders() != null) {
      json.put("multiValueHeaders", new JsonObject(new LinkedHashMap<>(response.getMultiValueHeaders())));
    }
    if (response.getCookies() != null) {
      json.put("cookies", new JsonArray(new ArrayList<>(response.getCookies())));
    }
    if (response.getBody() != null) {
      json.put("body", response.getBody());
    }
    return json.put("isBase64Encoded", response.getIsBase64Encoded());
  }

  /** What an EventBridge rule sends on its schedule ({@code detail} an object). */
  public static ScheduledEvent scheduledEvent(JsonObject json) {
    ScheduledEvent event = new ScheduledEvent();
    event.setVersion(json.getString("version"));
    event.setId(json.getString("id"));
    event.setDetailType(json.getString("detail-type"));
    event.setSource(json.getString("source"));
    event.setAccount(json.getString("account"));
    event.setRegion(json.getString("region"));
    event.setResources(strings(json.getJsonArray("resources")));
    if (json.getValue("detail") instanceof JsonObject detail) {
      event.setDetail(detail.getMap());
    }
    String time = json.getString("time");
    if (time != null) {
      event.setTime(org.joda.time.DateTime.parse(time));
    }
    return event;
  }

  /** A batch of SQS messages. */
  public static SQSEvent sqsEvent(JsonObject json) {
    List<SQSEvent.SQSMessage> messages = new ArrayList<>();
    JsonArray records = json.getJsonArray("Records", new JsonArray());
    for (int i = 0; i < records.size(); i++) {
      JsonObject record = records.getJsonObject(i);
      SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
      message.setMessageId(record.getString("messageId"));
      message.setReceiptHandle(record.getString("receiptHandle"));
      message.setBody(record.getString("body"));
      message.setMd5OfBody(record.getString("md5OfBody"));
      message.setMd5OfMessageAttributes(record.getString("md5OfMessageAttributes"));
      message.setEventSourceArn(record.getString("eventSourceARN"));
      message.setEventSource(record.getString("eventSource"));
      message.setAwsRegion(record.getString("awsRegion"));
      message.setAttributes(textMap(record.getJsonObject("attributes")));
      JsonObject attributes = record.getJsonObject("messageAttributes");
      if (attributes != null) {
        Map<String, SQSEvent.MessageAttribute> messageAttributes = new LinkedHashMap<>();
        attributes.forEach(entry -> messageAttributes.put(entry.getKey(), messageAttribute((JsonObject) entry.getValue())));
        message.setMessageAttributes(messageAttributes);
      }
      messages.add(message);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(messages);
    return event;
  }

  private static SQSEvent.MessageAttribute messageAttribute(JsonObject json) {
    SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
    attribute.setDataType(json.getString("dataType"));
    attribute.setStringValue(json.getString("stringValue"));
    if (json.getString("binaryValue") != null) {
      attribute.setBinaryValue(ByteBuffer.wrap(Base64.getDecoder().decode(json.getString("binaryValue"))));
    }
    attribute.setStringListValues(strings(json.getJsonArray("stringListValues")));
    JsonArray binaries = json.getJsonArray("binaryListValues");
    if (binaries != null) {
      List<ByteBuffer> values = new ArrayList<>();
      binaries.forEach(b -> values.add(ByteBuffer.wrap(Base64.getDecoder().decode((String) b))));
      attribute.setBinaryListValues(values);
    }
    return attribute;
  }

  /** The partial batch response ({@code ReportBatchItemFailures}). */
  public static JsonObject batchResponse(SQSBatchResponse response) {
    JsonArray failures = new JsonArray();
    if (response.getBatchItemFailures() != null) {
      response.getBatchItemFailures().forEach(f -> failures.add(new JsonObject().put("itemIdentifier", f.getItemIdentifier())));
    }
    return new JsonObject().put("batchItemFailures", failures);
  }

  /** S3's notification of new objects. */
  public static S3Event s3Event(JsonObject json) {
    List<S3EventNotification.S3EventNotificationRecord> records = new ArrayList<>();
    JsonArray all = json.getJsonArray("Records", new JsonArray());
    for (int i = 0; i < all.size(); i++) {
      JsonObject record = all.getJsonObject(i);
      JsonObject s3 = record.getJsonObject("s3", new JsonObject());
      JsonObject bucket = s3.getJsonObject("bucket", new JsonObject());
      JsonObject object = s3.getJsonObject("object", new JsonObject());
      JsonObject request = record.getJsonObject("requestParameters");
      JsonObject response = record.getJsonObject("responseElements");
      records.add(new S3EventNotification.S3EventNotificationRecord(
          record.getString("awsRegion"), record.getString("eventName"), record.getString("eventSource"),
          record.getString("eventTime"), record.getString("eventVersion"),
          request == null ? null : new S3EventNotification.RequestParametersEntity(request.getString("sourceIPAddress")),
          response == null ? null : new S3EventNotification.ResponseElementsEntity(response.getString("x-amz-id-2"),
              response.getString("x-amz-request-id")),
          new S3EventNotification.S3Entity(s3.getString("configurationId"),
              new S3EventNotification.S3BucketEntity(bucket.getString("name"),
                  userIdentity(bucket.getJsonObject("ownerIdentity")), bucket.getString("arn")),
              new S3EventNotification.S3ObjectEntity(object.getString("key"),
                  object.getValue("size") == null ? null : object.getLong("size"), object.getString("eTag"),
                  object.getString("versionId"), object.getString("sequencer")),
              s3.getString("s3SchemaVersion")),
          userIdentity(record.getJsonObject("userIdentity"))));
    }
    return new S3Event(records);
  }

  private static S3EventNotification.UserIdentityEntity userIdentity(JsonObject json) {
    return json == null ? null : new S3EventNotification.UserIdentityEntity(json.getString("principalId"));
  }

  private static Map<String, String> textMap(JsonObject json) {
    if (json == null) {
      return null;
    }
    Map<String, String> map = new LinkedHashMap<>();
    json.forEach(entry -> map.put(entry.getKey(), entry.getValue() == null ? null : String.valueOf(entry.getValue())));
    return map;
  }

  private static List<String> strings(JsonArray json) {
    if (json == null) {
      return null;
    }
    List<String> list = new ArrayList<>(json.size());
    json.forEach(item -> list.add(item == null ? null : String.valueOf(item)));
    return list;
  }
}
