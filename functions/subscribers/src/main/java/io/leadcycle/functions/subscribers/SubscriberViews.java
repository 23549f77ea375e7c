package io.leadcycle.functions.subscribers;

import io.leadcycle.domain.DeliveryLogEntry;
import io.leadcycle.domain.Subscriber;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** How subscribers and their deliveries look on the wire; a view never carries a secret. */
public final class SubscriberViews {

  private SubscriberViews() {
  }

  /**
   * {@code {id, url, events, description, disabled, disabledReason, previousSecretExpiresAt, createdAt,
   * updatedAt}}; every member always present.
   */
  public static JsonObject subscriber(Subscriber s) {
    return new JsonObject()
        .put("id", s.id().toString())
        .put("url", s.url())
        .put("events", new JsonArray(new java.util.ArrayList<>(s.events())))
        .put("description", s.description())
        .put("disabled", s.disabled())
        .put("disabledReason", s.disabledReason())
        .put("previousSecretExpiresAt", text(s.previousSecretExpiresAt()))
        .put("createdAt", text(s.createdAt()))
        .put("updatedAt", text(s.updatedAt()));
  }

  /** The answer to creation: the view and the secret, shown this once. */
  public static JsonObject created(Subscriber.Created created) {
    return subscriber(created.subscriber()).put("secret", created.secret());
  }

  /** The answer to rotation: the new secret, shown this once, and until when the previous one signs. */
  public static JsonObject rotated(Subscriber.Rotated rotated) {
    return new JsonObject()
        .put("secret", rotated.secret())
        .put("previousSecretExpiresAt", text(rotated.previousSecretExpiresAt()));
  }

  /**
   * {@code {id, eventId, type, status, attempts: [{at, httpStatus, error, durationMs}], nextAttemptAt,
   * deliveredAt, createdAt}}; {@code nextAttemptAt} only while pending.
   */
  public static JsonObject delivery(DeliveryLogEntry d) {
    JsonArray attempts = new JsonArray();
    d.attempts().forEach(a -> attempts.add(new JsonObject()
        .put("at", text(a.at()))
        .put("httpStatus", a.httpStatus())
        .put("error", a.error())
        .put("durationMs", a.durationMs())));
    return new JsonObject()
        .put("id", d.id().toString())
        .put("eventId", d.eventId().toString())
        .put("type", d.type())
        .put("status", d.status())
        .put("attempts", attempts)
        .put("nextAttemptAt", text(d.nextAttemptAt()))
        .put("deliveredAt", text(d.deliveredAt()))
        .put("createdAt", text(d.createdAt()));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
