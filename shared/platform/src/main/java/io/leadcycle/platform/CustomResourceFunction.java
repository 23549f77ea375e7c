package io.leadcycle.platform;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CloudFormation custom-resource trigger kind. CloudFormation sends {@code Create}, {@code Update}
 * or {@code Delete} with a pre-signed {@code ResponseURL} and then waits for an answer there, up to an
 * hour: so this kind always answers, SUCCESS with the function's data or FAILED with the reason, and
 * never throws. An event without {@code ResponseURL} is a direct invocation ({@code aws lambda
 * invoke}), answered as the function's return value.
 */
public abstract class CustomResourceFunction extends LeadcycleFunction<Map<String, Object>, Map<String, Object>> {

  private final HttpClient http;

  protected CustomResourceFunction(HttpClient http) {
    this.http = http;
  }

  /** The resource's id, the same on every request (changing it would make CloudFormation delete the old one). */
  protected abstract String physicalResourceId();

  /** Create or Update: the work, and the data CloudFormation may read with {@code !GetAtt}. */
  protected abstract Map<String, Object> createOrUpdate(Map<String, Object> event, Invocation invocation);

  /** What the resource does, for the reason CloudFormation shows on failure ("Migration"). */
  protected String workName() {
    return "The custom resource";
  }

  /** Delete: nothing by default (removing a stack must never destroy data). */
  protected Map<String, Object> delete(Map<String, Object> event, Invocation invocation) {
    return Map.of();
  }

  /** A direct invocation: by default the same work as an update. */
  protected Map<String, Object> invokedDirectly(Map<String, Object> event, Invocation invocation) {
    return createOrUpdate(event, invocation);
  }

  @SuppressWarnings("unchecked")
  @Override
  public final Class<Map<String, Object>> eventType() {
    return (Class<Map<String, Object>>) (Class<?>) Map.class;
  }

  @Override
  protected final Map<String, Object> readEvent(JsonObject json) {
    return json.getMap();
  }

  @Override
  protected final String writeAnswer(Map<String, Object> answer) {
    return new JsonObject(answer).encode();
  }

  @Override
  protected final Map<String, Object> handle(Map<String, Object> event, Invocation invocation) {
    Object responseUrl = event == null ? null : event.get("ResponseURL");
    if (responseUrl == null) {
      invocation.put("requestType", "direct");
      return invokedDirectly(event == null ? Map.of() : event, invocation);
    }
    Object requestType = event.get("RequestType");
    invocation.put("requestType", requestType);
    Map<String, Object> response = response(event);
    try {
      Map<String, Object> data = "Delete".equals(requestType) ? delete(event, invocation) : createOrUpdate(event, invocation);
      response.put("Status", "SUCCESS");
      if (!data.isEmpty()) {
        response.put("Data", data);
      }
    } catch (Exception | Error e) {
      // Every failure must reach CloudFormation, or the stack waits an hour for an answer.
      Failure failure = Failure.of(e);
      invocation.failed(getClass().getSimpleName() + " failed", failure, null);
      response.put("Status", "FAILED");
      response.put("Reason", workName() + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
          + " (see the function's CloudWatch log)");
    }
    send(responseUrl.toString(), new JsonObject(response).encode());
    invocation.put("status", response.get("Status"));
    return response;
  }

  /** Only a direct invocation can fail past {@link #handle}: it is rethrown, so the caller sees an error. */
  @Override
  protected final Map<String, Object> onFailure(Map<String, Object> event, Failure failure, Invocation invocation) {
    invocation.failed("invocation failed", failure, null);
    if (failure.cause() instanceof RuntimeException runtime) {
      throw runtime;
    }
    throw new IllegalStateException(failure.message(), failure.cause());
  }

  private Map<String, Object> response(Map<String, Object> event) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("PhysicalResourceId", physicalResourceId());
    response.put("StackId", event.get("StackId"));
    response.put("RequestId", event.get("RequestId"));
    response.put("LogicalResourceId", event.get("LogicalResourceId"));
    return response;
  }

  /** CloudFormation's pre-signed S3 URL wants a PUT with an empty content type. */
  private void send(String url, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "")
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() / 100 != 2) {
        throw new IllegalStateException("CloudFormation response URL answered " + answer.statusCode());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the CloudFormation response URL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while answering CloudFormation", e);
    }
  }
}
