package io.leadcycle.platform;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.runtime.Metric;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The schedule trigger kind: an EventBridge {@link ScheduledEvent} in (on the local server, a timer
 * sends the same shape), a summary of what the run did out. A failed run is logged and answered, not
 * thrown: the next scheduled run is the retry, and an invocation error would only make Lambda run the
 * same work twice more at once.
 */
public abstract class ScheduledFunction extends LeadcycleFunction<ScheduledEvent, Map<String, Object>> {

  protected ScheduledFunction() {
  }

  /**
   * One scheduled run. Work that may be long is done in bounded portions, so that one run stays well
   * inside the Lambda timeout and the next run continues.
   *
   * @return what the run did (counts), logged and answered; no secrets or personal data
   */
  protected abstract Map<String, Object> run(ScheduledEvent event, Invocation invocation);

  @Override
  public final Class<ScheduledEvent> eventType() {
    return ScheduledEvent.class;
  }

  @Override
  protected final ScheduledEvent readEvent(JsonObject json) {
    return LambdaEventJson.scheduledEvent(json);
  }

  @Override
  protected final String writeAnswer(Map<String, Object> answer) {
    return new JsonObject(answer).encode();
  }

  @Override
  protected final Map<String, Object> handle(ScheduledEvent event, Invocation invocation) {
    invocation.put("scheduledEventId", event == null ? null : event.getId());
    Map<String, Object> summary = new LinkedHashMap<>(run(event, invocation));
    invocation.metrics().count(Metric.SCHEDULED_RUNS_FAILED, 0);
    invocation.put("outcome", "completed").put("summary", new JsonObject(new LinkedHashMap<>(summary)));
    summary.put("outcome", "completed");
    return summary;
  }

  @Override
  protected final Map<String, Object> onFailure(ScheduledEvent event, Failure failure, Invocation invocation) {
    invocation.failed("scheduled run failed; the next run retries", failure, null);
    invocation.put("outcome", "failed");
    invocation.metrics().count(Metric.SCHEDULED_RUNS_FAILED);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("outcome", "failed");
    answer.put("failure", failure.kind().name());
    return answer;
  }
}
