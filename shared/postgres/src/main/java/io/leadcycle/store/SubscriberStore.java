package io.leadcycle.store;

import io.leadcycle.domain.Subscriber;
import io.leadcycle.domain.SubscriberInput;
import io.leadcycle.domain.SubscriberPatch;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Subscribers as the management API keeps them. Secrets are written here but never read back: the
 * columns below leave them out, and only creation and rotation hand a secret to their caller.
 */
public final class SubscriberStore {

  /** The view's columns; the previous secret's expiry only while it still signs. */
  private static final String COLUMNS = """
      id, url, events, description, disabled, disabled_reason,
      CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END AS previous_secret_expires_at,
      created_at, updated_at""";

  /** One page of subscribers: {@code more} when subscribers follow the last one. */
  public record Page(List<Subscriber> items, boolean more) {

    public Subscriber last() {
      return items.get(items.size() - 1);
    }
  }

  public Future<Subscriber> create(SqlClient client, SubscriberInput input, String secret) {
    return client.preparedQuery("INSERT INTO subscribers (url, events, description, secret)"
            + " VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS)
        .execute(Tuple.of(input.url(), input.events().toArray(new String[0]), input.description(), secret))
        .map(SubscriberStore::first);
  }

  public Future<Subscriber> find(SqlClient client, UUID id) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM subscribers WHERE id = $1").execute(Tuple.of(id))
        .map(SubscriberStore::first);
  }

  /** Up to {@code limit} subscribers in creation order after (created, id) (null: from the first). */
  public Future<Page> page(SqlClient client, Instant afterCreated, UUID afterId, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM subscribers"
        + (afterId == null ? "" : " WHERE (created_at, id) > ($2, $3)")
        + " ORDER BY created_at, id LIMIT $1";
    Tuple parameters = Tuple.of(limit + 1);
    if (afterId != null) {
      parameters.addOffsetDateTime(afterCreated.atOffset(ZoneOffset.UTC)).addUUID(afterId);
    }
    return client.preparedQuery(sql).execute(parameters).map(rows -> {
      List<Subscriber> items = new ArrayList<>();
      rows.forEach(row -> items.add(toSubscriber(row)));
      boolean more = items.size() > limit;
      return new Page(more ? items.subList(0, limit) : items, more);
    });
  }

  /**
   * Applies a patch: absent members stay; disabling keeps a reason already recorded (a 410 from the
   * receiver) or records {@code reasonWhenDisabled}; enabling clears the reason. Null when there is no
   * such subscriber.
   */
  public Future<Subscriber> update(SqlClient client, UUID id, SubscriberPatch patch, String reasonWhenDisabled) {
    return client.preparedQuery("""
            UPDATE subscribers
               SET url = coalesce($2, url),
                   events = coalesce($3::text[], events),
                   description = CASE WHEN $4 THEN $5 ELSE description END,
                   disabled = coalesce($6::boolean, disabled),
                   disabled_reason = CASE WHEN $6::boolean IS NULL THEN disabled_reason
                                          WHEN $6::boolean THEN coalesce(disabled_reason, $7)
                                          ELSE NULL END,
                   updated_at = now()
             WHERE id = $1
            RETURNING""" + " " + COLUMNS)
        .execute(Tuple.from(Arrays.asList(id, patch.url(),
            patch.events() == null ? null : patch.events().toArray(new String[0]),
            patch.changesDescription(), patch.description(), patch.disabled(), reasonWhenDisabled)))
        .map(SubscriberStore::first);
  }

  /** Deletes a subscriber (its deliveries and their attempts go with it); false when there was none. */
  public Future<Boolean> delete(SqlClient client, UUID id) {
    return client.preparedQuery("DELETE FROM subscribers WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0);
  }

  /**
   * Makes {@code secret} the signing secret; the current one becomes the previous secret, signing
   * beside it for {@code overlapSeconds} more (a previous secret from an earlier rotation is dropped).
   * Null when there is no such subscriber.
   */
  public Future<Subscriber> rotateSecret(SqlClient client, UUID id, String secret, long overlapSeconds) {
    return client.preparedQuery("""
            UPDATE subscribers
               SET previous_secret = secret,
                   previous_secret_expires_at = now() + make_interval(secs => $3),
                   secret = $2,
                   updated_at = now()
             WHERE id = $1
            RETURNING""" + " " + COLUMNS)
        .execute(Tuple.of(id, secret, (double) overlapSeconds))
        .map(SubscriberStore::first);
  }

  private static Subscriber first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : toSubscriber(rows.iterator().next());
  }

  private static Subscriber toSubscriber(Row row) {
    return new Subscriber(row.getUUID("id"), row.getString("url"), Arrays.asList(row.getArrayOfStrings("events")),
        row.getString("description"), row.getBoolean("disabled"), row.getString("disabled_reason"),
        Rows.instant(row, "previous_secret_expires_at"), Rows.instant(row, "created_at"),
        Rows.instant(row, "updated_at"));
  }
}
