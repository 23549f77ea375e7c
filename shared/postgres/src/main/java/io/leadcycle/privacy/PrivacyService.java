package io.leadcycle.privacy;

import io.leadcycle.domain.ConsentChange;
import io.leadcycle.events.JsonViews;
import io.leadcycle.postgres.Database;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.PersonalDataStore;
import io.leadcycle.store.SegmentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A person's data-protection requests. Access (GDPR Art. 15): everything held about a contact as one JSON document,
 * read from one snapshot of the database, so that the parts agree with each other (docs/privacy.md).
 */
public final class PrivacyService {

  /** Names the document's shape; a change of meaning gets a new number. */
  public static final String FORMAT = "leadcycle-personal-data/1";

  private final Database database;
  private final PersonalDataStore data = new PersonalDataStore();
  private final ContactStore contacts = new ContactStore();
  private final SegmentStore segments = new SegmentStore();

  public PrivacyService(Database database) {
    this.database = database;
  }

  /** The document, or null when there is no such contact. */
  public Future<JsonObject> export(UUID contactId) {
    return database.inTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute().compose(snapshot -> {
          // Every part depends on the contact id alone: all go out together, answered in one snapshot.
          Future<JsonObject> contact = data.contact(conn, contactId);
          Future<JsonObject> account = data.account(conn, contactId);
          Future<List<ConsentChange>> consentHistory = contacts.consentHistory(conn, contactId);
          Future<JsonArray> leads = data.leads(conn, contactId);
          Future<JsonArray> timelines = data.timelines(conn, contactId);
          Future<JsonArray> activities = data.activities(conn, contactId);
          Future<JsonArray> scores = data.scores(conn, contactId);
          Future<JsonArray> events = data.events(conn, contactId);
          Future<JsonArray> deliveries = data.deliveries(conn, contactId);
          Future<JsonArray> opportunities = data.opportunities(conn, contactId);
          Future<JsonArray> interactions = data.interactions(conn, contactId);
          Future<JsonArray> submissions = data.submissions(conn, contactId);
          Future<JsonArray> linkedIn = data.linkedInResponses(conn, contactId);
          Future<JsonArray> importErrors = data.importErrors(conn, contactId);
          Future<JsonArray> tiles = data.journeyTileClaims(conn, contactId);
          Future<Map<UUID, List<SegmentStore.Membership>>> memberships = segments.segmentsOf(conn, List.of(contactId));
          return Future.all(List.of(contact, account, consentHistory, leads, timelines, activities, scores, events,
                  deliveries, opportunities, interactions, submissions, linkedIn, importErrors, tiles, memberships))
              .map(all -> {
                if (contact.result() == null) {
                  return null;
                }
                JsonArray history = new JsonArray();
                consentHistory.result().forEach(change -> history.add(JsonViews.consentChange(change)));
                return new JsonObject()
                    .put("format", FORMAT)
                    .put("exportedAt", Instant.now().toString())
                    .put("contact", contact.result())
                    .put("account", account.result())
                    .put("consentHistory", history)
                    .put("leads", withParts(leads.result(), "leadId",
                        parts("timeline", timelines.result(), "activities", activities.result(),
                            "scores", scores.result())))
                    .put("opportunities", opportunities.result())
                    .put("interactions", interactions.result())
                    .put("submissions", submissions.result())
                    .put("linkedInResponses", linkedIn.result())
                    .put("events", withParts(events.result(), "eventId", parts("deliveries", deliveries.result())))
                    .put("importErrors", importErrors.result())
                    .put("journeyTileClaims", tiles.result())
                    .put("segments", segmentsJson(memberships.result().get(contactId)));
              });
        }));
  }

  /** The segments the person is in, each with when they joined. */
  private static JsonArray segmentsJson(List<SegmentStore.Membership> memberships) {
    JsonArray segments = new JsonArray();
    memberships.forEach(m -> segments.add(new JsonObject().put("id", m.id().toString()).put("name", m.name())
        .put("joinedAt", m.joinedAt().toString())));
    return segments;
  }

  private static Map<String, JsonArray> parts(Object... nameRows) {
    Map<String, JsonArray> parts = new LinkedHashMap<>();
    for (int i = 0; i < nameRows.length; i += 2) {
      parts.put((String) nameRows[i], (JsonArray) nameRows[i + 1]);
    }
    return parts;
  }

  /**
   * {@code parents} (each with an {@code id}) with each part's rows nested under the parent they name by
   * {@code parentKey}, that key left out of the nested rows; a parent with none gets an empty list.
   */
  private static JsonArray withParts(JsonArray parents, String parentKey, Map<String, JsonArray> parts) {
    Map<String, JsonObject> byId = new LinkedHashMap<>();
    for (int i = 0; i < parents.size(); i++) {
      JsonObject parent = parents.getJsonObject(i);
      parts.keySet().forEach(name -> parent.put(name, new JsonArray()));
      byId.put(parent.getString("id"), parent);
    }
    parts.forEach((name, rows) -> {
      for (int i = 0; i < rows.size(); i++) {
        JsonObject row = rows.getJsonObject(i);
        JsonObject parent = byId.get((String) row.remove(parentKey));
        if (parent != null) {
          parent.getJsonArray(name).add(row);
        }
      }
    });
    return parents;
  }
}
