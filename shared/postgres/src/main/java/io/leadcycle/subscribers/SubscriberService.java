package io.leadcycle.subscribers;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.DeliveryLogEntry;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.Subscriber;
import io.leadcycle.domain.SubscriberInput;
import io.leadcycle.domain.SubscriberPatch;
import io.leadcycle.postgres.Database;
import io.leadcycle.store.DeliveryLogStore;
import io.leadcycle.store.SubscriberStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.UUID;

/**
 * Subscribers to outbound webhooks through their life — created with a secret shown once, changed,
 * disabled and enabled, rotated, deleted — and their delivery log with redelivery by hand. One
 * transaction per call. Secrets only leave in the answer to creation and rotation, never in a view or a
 * log line.
 */
public final class SubscriberService {

  private final Database database;
  private final SubscriberStore subscribers = new SubscriberStore();
  private final DeliveryLogStore deliveries = new DeliveryLogStore();

  public SubscriberService(Database database) {
    this.database = database;
  }

  /** A new subscriber with a new secret (the only time it is shown, besides rotation). */
  public Future<Subscriber.Created> create(SubscriberInput input) {
    String secret = Subscriber.newSecret();
    return database.inTransaction(conn -> subscribers.create(conn, input, secret))
        .map(subscriber -> new Subscriber.Created(subscriber, secret));
  }

  public Future<Subscriber> get(UUID id) {
    return database.read(conn -> subscribers.find(conn, id)).map(s -> found(s, id));
  }

  /** A page of subscribers in creation order. */
  public Future<SubscriberStore.Page> list(Instant afterCreated, UUID afterId, int limit) {
    return database.read(conn -> subscribers.page(conn, afterCreated, afterId, limit));
  }

  public Future<Subscriber> update(UUID id, SubscriberPatch patch) {
    return database.inTransaction(conn -> subscribers.update(conn, id, patch, Subscriber.DISABLED_BY_HAND))
        .map(s -> found(s, id));
  }

  /** Deletes the subscriber with its deliveries and their attempts. */
  public Future<Void> delete(UUID id) {
    return database.inTransaction(conn -> subscribers.delete(conn, id)).map(deleted -> {
      if (!deleted) {
        throw notFound(id);
      }
      return null;
    });
  }

  /**
   * A new secret; the current one keeps signing beside it for {@link Subscriber#PREVIOUS_SECRET_OVERLAP}
   * (a previous secret of an earlier rotation stops at once).
   */
  public Future<Subscriber.Rotated> rotateSecret(UUID id) {
    String secret = Subscriber.newSecret();
    return database.inTransaction(conn -> subscribers.rotateSecret(conn, id, secret,
            Subscriber.PREVIOUS_SECRET_OVERLAP.toSeconds()))
        .map(s -> {
          found(s, id);
          return new Subscriber.Rotated(s, secret, s.previousSecretExpiresAt());
        });
  }

  /** A page of the subscriber's deliveries, newest first, each with its attempts. */
  public Future<DeliveryLogStore.Page> deliveries(UUID subscriberId, String status, Instant afterCreated, UUID afterId,
      int limit) {
    return database.read(conn -> subscribers.find(conn, subscriberId).compose(s -> {
      found(s, subscriberId);
      return deliveries.page(conn, subscriberId, status, afterCreated, afterId, limit);
    }));
  }

  /**
   * Sends a delivered or failed delivery again, due now; a pending one is a conflict (it is still being
   * tried), so is one of a disabled subscriber (enable it first).
   */
  public Future<Void> redeliver(UUID subscriberId, UUID deliveryId) {
    return database.inTransaction(conn -> subscribers.find(conn, subscriberId).compose(s -> {
      found(s, subscriberId);
      return deliveries.lock(conn, subscriberId, deliveryId).compose(delivery -> {
        if (delivery == null) {
          throw new NotFound("No delivery with id " + deliveryId + " to subscriber " + subscriberId + ".");
        }
        if (DeliveryLogEntry.PENDING.equals(delivery.status())) {
          throw new Conflict("This delivery is pending: it is still being tried. Only a delivered or failed "
              + "delivery is redelivered.");
        }
        if (s.disabled()) {
          throw new Conflict("The subscriber is disabled (" + s.disabledReason() + "): enable it first with "
              + "PATCH /v1/subscribers/" + subscriberId + " {\"disabled\": false}.");
        }
        return deliveries.redeliver(conn, deliveryId);
      });
    }));
  }

  private static Subscriber found(Subscriber subscriber, UUID id) {
    if (subscriber == null) {
      throw notFound(id);
    }
    return subscriber;
  }

  private static NotFound notFound(UUID id) {
    return new NotFound("No subscriber with id " + id + ".");
  }
}
