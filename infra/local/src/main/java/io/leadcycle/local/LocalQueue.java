package io.leadcycle.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.SqsFunction;
import io.leadcycle.runtime.JsonLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * An in-process stand-in for an SQS queue with a redrive policy, in front of one queue-triggered
 * function: messages are delivered in batches of up to 10 as SQS records; those the function reports
 * failed come back after a growing delay with a higher receive count, and after {@code maxReceives}
 * receives they end in the queue's dead-letter list, as with {@code maxReceiveCount}. Messages the
 * function refuses outright are parked there at once ({@link LocalDeadLetters}).
 *
 * <p>Messages sent with a FIFO message group (the nudges') are delivered as a FIFO queue's event source
 * delivers them: a batch holds one group's messages, a group has one batch in flight at a time, and
 * different groups' batches run at once (a full rescoring's N groups are N runs in parallel, as in AWS).
 */
final class LocalQueue {

  /** A message as the queue keeps it. */
  record Message(String id, String body, Map<String, String> attributes, long sentAt, int receiveCount,
      long visibleAt, long firstReceivedAt, String group) {

    Message(String id, String body, Map<String, String> attributes, long sentAt, int receiveCount, long visibleAt,
        long firstReceivedAt) {
      this(id, body, attributes, sentAt, receiveCount, visibleAt, firstReceivedAt, null);
    }

    Message received(long now) {
      return new Message(id, body, attributes, sentAt, receiveCount + 1, visibleAt, firstReceivedAt == 0 ? now : firstReceivedAt,
          group);
    }

    Message hiddenUntil(long at) {
      return new Message(id, body, attributes, sentAt, receiveCount, at, firstReceivedAt, group);
    }
  }

  /** A message that ended in the dead-letter list, and why. */
  record DeadLetter(String messageId, String body, int receiveCount, String reason, Instant at) {

    JsonObject toJson() {
      return new JsonObject().put("messageId", messageId).put("body", body).put("receiveCount", receiveCount)
          .put("reason", reason).put("at", at.toString());
    }
  }

  static final int BATCH_SIZE = 10;

  private final String name;
  private final SqsFunction function;
  private final int maxReceives;
  private final Duration retryDelay;
  private final List<Message> waiting = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  /** The FIFO groups with a batch in flight: their next messages wait for it. */
  private final Set<String> busyGroups = new HashSet<>();
  private int inFlight;

  LocalQueue(String name, SqsFunction function, int maxReceives, Duration retryDelay) {
    this.name = name;
    this.function = function;
    this.maxReceives = maxReceives;
    this.retryDelay = retryDelay;
  }

  String name() {
    return name;
  }

  String arn() {
    return LocalEvents.queueArn(name);
  }

  /** Adds a message; its id, as SQS's SendMessage answers. */
  String send(String body, Map<String, String> attributes) {
    return send(body, attributes, null);
  }

  /** Adds a message in FIFO message {@code group} (null: none); its id. */
  synchronized String send(String body, Map<String, String> attributes, String group) {
    String id = Invocation.newRequestId();
    waiting.add(new Message(id, body, Map.copyOf(attributes), System.currentTimeMillis(), 0, 0, 0, group));
    return id;
  }

  /** Delivers one batch of visible messages to the function, if any, and waits for it; true when it delivered one. */
  boolean deliverBatch() {
    return deliverBatch(Runnable::run);
  }

  /**
   * Takes one batch of visible messages, if any, and delivers it: a FIFO group's batch through
   * {@code groups} (the handler threads: groups run at once), any other at once on this thread. True when
   * it took one.
   */
  boolean deliverBatch(Executor groups) {
    List<Message> batch = take(System.currentTimeMillis());
    if (batch.isEmpty()) {
      return false;
    }
    if (batch.get(0).group() == null) {
      deliver(batch);
    } else {
      try {
        groups.execute(() -> deliver(batch));
      } catch (RejectedExecutionException e) { // the server is stopping: the batch waits, as after a failure
        settle(batch, Set.copyOf(batch.stream().map(Message::id).toList()), "the server stopped", System.currentTimeMillis());
      }
    }
    return true;
  }

  private void deliver(List<Message> batch) {
    List<JsonObject> records = new ArrayList<>();
    batch.forEach(m -> records.add(LocalEvents.sqsRecord(name, m)));
    Set<String> failed = new HashSet<>();
    String reason;
    try {
      SQSBatchResponse response = function.handleRequest(LocalEvents.sqs(records), null);
      if (response != null && response.getBatchItemFailures() != null) {
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
      }
      reason = "reported failed on each of " + maxReceives + " receives (maxReceiveCount)";
    } catch (RuntimeException | Error e) {
      // A handler that throws fails the whole batch, as in Lambda.
      batch.forEach(m -> failed.add(m.id()));
      reason = "the function failed (" + e.getClass().getSimpleName() + ") on each of " + maxReceives + " receives";
      JsonLog.error(null, "queue " + name + ": the function threw; the batch will be delivered again", e);
    }
    settle(batch, failed, reason, System.currentTimeMillis());
  }

  /** The next batch: visible messages of one group (or of none) whose group has no batch in flight. */
  private synchronized List<Message> take(long now) {
    List<Message> batch = new ArrayList<>();
    String group = null;
    for (Iterator<Message> it = waiting.iterator(); it.hasNext() && batch.size() < BATCH_SIZE; ) {
      Message message = it.next();
      if (message.visibleAt() > now || message.group() != null && busyGroups.contains(message.group())) {
        continue;
      }
      if (!batch.isEmpty() && !Objects.equals(group, message.group())) {
        continue;
      }
      group = message.group();
      it.remove();
      batch.add(message.received(now));
    }
    if (group != null) {
      busyGroups.add(group);
    }
    inFlight += batch.size();
    return batch;
  }

  private synchronized void settle(List<Message> batch, Set<String> failed, String reason, long now) {
    inFlight -= batch.size();
    if (batch.get(0).group() != null) {
      busyGroups.remove(batch.get(0).group());
    }
    for (Message message : batch) {
      if (!failed.contains(message.id())) {
        continue; // done (or parked by the function itself): SQS deletes it
      }
      if (message.receiveCount() >= maxReceives) {
        deadLetters.add(new DeadLetter(message.id(), message.body(), message.receiveCount(), reason, Instant.ofEpochMilli(now)));
      } else {
        waiting.add(message.hiddenUntil(now + retryDelay.toMillis() * message.receiveCount()));
      }
    }
  }

  /** One message of a direct delivery: its id, and why it failed (null when it did not). */
  record DirectOutcome(String messageId, boolean failed, String reason) {
  }

  /**
   * Delivers {@code bodies} to the function at once, as one batch of first receives, outside the queue:
   * the caller is the sender and hears what failed, so nothing is delivered again or parked. Refusals
   * carry the function's reason; other failures (the database, a bug) none: the sender may send again.
   */
  List<DirectOutcome> deliverDirectly(List<String> bodies, LocalDeadLetters refusals) {
    long now = System.currentTimeMillis();
    List<JsonObject> records = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (String body : bodies) {
      Message message = new Message(Invocation.newRequestId(), body, Map.of(), now, 1, 0, now);
      ids.add(message.id());
      refusals.beginDirect(message.id());
      records.add(LocalEvents.sqsRecord(name, message));
    }
    Set<String> failed = new HashSet<>();
    try {
      SQSBatchResponse response = function.handleRequest(LocalEvents.sqs(records), null);
      if (response != null && response.getBatchItemFailures() != null) {
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
      }
    } catch (RuntimeException | Error e) {
      failed.addAll(ids); // a handler that throws fails the whole batch, as in Lambda
      JsonLog.error(null, "queue " + name + ": the function threw on a direct delivery", e);
    }
    List<DirectOutcome> outcomes = new ArrayList<>();
    for (String id : ids) {
      String reason = refusals.endDirect(id);
      outcomes.add(new DirectOutcome(id, failed.contains(id) || reason != null, reason));
    }
    return outcomes;
  }

  /** A message the function refused (it is in the current batch): straight to the dead-letter list. */
  synchronized void park(SQSMessage message, String reason) {
    Map<String, String> attributes = message.getAttributes() == null ? Map.of() : message.getAttributes();
    int receiveCount = Integer.parseInt(attributes.getOrDefault("ApproximateReceiveCount", "1"));
    deadLetters.add(new DeadLetter(message.getMessageId(), message.getBody(), receiveCount, reason, Instant.now()));
  }

  synchronized JsonObject status() {
    JsonArray dead = new JsonArray();
    deadLetters.forEach(d -> dead.add(d.toJson()));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("queue", name);
    json.put("arn", arn());
    json.put("waiting", waiting.size());
    json.put("inFlight", inFlight);
    json.put("maxReceives", maxReceives);
    json.put("deadLetters", dead);
    return new JsonObject(json);
  }
}
