package io.leadcycle.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Removes personal data. What one delivery from a source created, when the source says the person withdrew
 * it (LinkedIn's DELETED lead notification): the interaction, the lead and the contact, each only as far
 * as nothing else has come to depend on it (docs/linkedin.md, "Deleted leads"). And everything that names a
 * person who asked to be erased ({@link #erasePerson}, docs/privacy.md). Both keep a converted lead (sales
 * data: its opportunity refers to it) without the person's answers, the same way ({@link #ANONYMISE_LEADS}).
 */
public final class ErasureStore {

  /** What became of a lead. */
  public enum LeadErasure { DELETED, ANONYMISED, GONE }

  public Future<Boolean> deleteInteraction(SqlClient client, UUID interactionId) {
    return client.preparedQuery("DELETE FROM interactions WHERE id = $1").execute(Tuple.of(interactionId))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Deletes the lead with its timeline, scores and outbox events; a lead that was converted into an
   * opportunity (sales works it) is kept, with the answers it was created from removed.
   */
  public Future<LeadErasure> eraseLead(SqlClient client, UUID leadId) {
    return client.preparedQuery("""
            DELETE FROM leads l WHERE l.id = $1 AND NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.lead_id = l.id)""")
        .execute(Tuple.of(leadId))
        .compose(deleted -> deleted.rowCount() == 1 ? Future.succeededFuture(LeadErasure.DELETED)
            : client.preparedQuery(ANONYMISE_LEADS)
                .execute(ids(new UUID[] {leadId}))
                .map(updated -> updated.rowCount() == 1 ? LeadErasure.ANONYMISED : LeadErasure.GONE));
  }

  /**
   * Clears what a kept (converted) lead holds of the person: the answers it was created from, their
   * normalized forms, the qualification findings and stage field values (notes about the person), the
   * journey details and the last activity. Its topic, context, stage, status, owner and dates stay: sales data.
   */
  static final String ANONYMISE_LEADS = """
      UPDATE leads SET submitted_fields = '{}'::jsonb, email_norm = NULL, first_name_norm = NULL,
             last_name_norm = NULL, phone_norm = NULL, company_name_norm = NULL,
             stage_fields = NULL, context_details = NULL, disqualification_reason = NULL,
             last_activity_kind = NULL, last_activity_outcome = NULL, last_activity_actor = NULL,
             last_activity_at = NULL, follow_up_at = NULL, follow_up_activity_id = NULL, follow_up_user_id = NULL,
             follow_up_user_name = NULL, follow_up_due_notified_at = NULL,
             updated_at = now(), version = version + 1
       WHERE id = ANY ($1)""";

  /** The person an erasure removes: their contacts, and the normalized emails, phones and names they go by. */
  public record Person(List<UUID> contactIds, List<String> emails, List<String> phones, List<String> names) {

    public Person {
      contactIds = List.copyOf(contactIds);
      emails = List.copyOf(emails);
      phones = List.copyOf(phones);
      names = List.copyOf(names);
    }

    Tuple tuple() {
      return Tuple.tuple().addArrayOfUUID(contactIds.toArray(UUID[]::new)).addArrayOfString(emails.toArray(String[]::new))
          .addArrayOfString(phones.toArray(String[]::new));
    }
  }

  /** What names the person: their leads (those an opportunity refers to apart) and the ids of what was submitted. */
  public record Held(List<UUID> leadIds, List<UUID> convertedLeadIds, List<String> sourceKeys) {
  }

  /**
   * A submission-log entry names the person when its answer names their contact or lead, or when the email or
   * phone it carried is theirs (a form that creates no contact still logs what was posted).
   */
  private static final String RECEIPT_NAMES_PERSON = """
      (r.response -> 'contact' ->> 'id' = ANY ($1::text[]) OR r.response -> 'lead' ->> 'id' = ANY ($4::text[])
       OR lower(btrim(r.received -> 'fields' ->> 'email')) = ANY ($2)
       OR nullif(regexp_replace(r.received -> 'fields' ->> 'phone', '\\D', '', 'g'), '') = ANY ($3))""";

  /** The person's leads, locked, and the submission and webhook ids seen for them. */
  public Future<Held> held(SqlClient client, Person person) {
    return client.preparedQuery("""
            SELECT l.id, EXISTS (SELECT 1 FROM opportunities o WHERE o.lead_id = l.id) AS converted FROM leads l
             WHERE l.contact_id = ANY ($1)
                OR l.contact_id IS NULL AND (l.email_norm = ANY ($2) OR l.phone_norm = ANY ($3))
             ORDER BY l.id FOR UPDATE""")
        .execute(person.tuple())
        .compose(rows -> {
          List<UUID> leads = new ArrayList<>();
          List<UUID> converted = new ArrayList<>();
          for (Row row : rows) {
            leads.add(row.getUUID("id"));
            if (row.getBoolean("converted")) {
              converted.add(row.getUUID("id"));
            }
          }
          return client.preparedQuery("""
                  SELECT source_key AS key FROM interactions WHERE contact_id = ANY ($5)
                  UNION SELECT 'form:' || r.form_id || ':' || r.submission_key FROM intake_receipts r
                   WHERE """ + RECEIPT_NAMES_PERSON + """
                  UNION SELECT 'linkedin:' || response_urn FROM linkedin_responses
                   WHERE contact_id = ANY ($5) OR lead_id = ANY ($6)""")
              .execute(withLeads(person, leads))
              .map(keys -> {
                List<String> sourceKeys = new ArrayList<>();
                keys.forEach(row -> sourceKeys.add(row.getString("key")));
                return new Held(leads, converted, sourceKeys);
              });
        });
  }

  private static Tuple withLeads(Person person, List<UUID> leads) {
    return Tuple.tuple()
        .addArrayOfString(person.contactIds().stream().map(UUID::toString).toArray(String[]::new))
        .addArrayOfString(person.emails().toArray(String[]::new))
        .addArrayOfString(person.phones().toArray(String[]::new))
        .addArrayOfString(leads.stream().map(UUID::toString).toArray(String[]::new))
        .addArrayOfUUID(person.contactIds().toArray(UUID[]::new))
        .addArrayOfUUID(leads.toArray(UUID[]::new));
  }

  /**
   * Erases everything that names the person, in the caller's transaction (the person's match-key locks
   * held, their leads locked by {@link #held}); answers how many of each kind went, by kind. Accounts stay
   * (company data); a converted lead and its opportunity stay as sales data, without the person.
   */
  public Future<JsonObject> erasePerson(SqlClient client, Person person, Held held) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Tuple byPerson = withLeads(person, held.leadIds());
    UUID[] leads = held.leadIds().toArray(UUID[]::new);
    UUID[] kept = held.convertedLeadIds().toArray(UUID[]::new);
    List<UUID> deletable = new ArrayList<>(held.leadIds());
    deletable.removeAll(held.convertedLeadIds());
    UUID[] contacts = person.contactIds().toArray(UUID[]::new);
    String[] values = valuesOf(person);
    // Sent one after another without waiting (pipelined): each statement runs in this order.
    List<Future<?>> steps = new ArrayList<>();
    // The person's accounts stay, scored without them: their other contacts (which account leads are scored
    // from) are marked for rescoring, read before the person's contacts and leads go.
    steps.add(client.preparedQuery("""
            INSERT INTO contacts_to_rescore (contact_id)
            SELECT c.id FROM contacts c
             WHERE c.account_id IN (SELECT account_id FROM contacts WHERE id = ANY ($1)
                                    UNION SELECT account_id FROM leads WHERE id = ANY ($2))
               AND c.id <> ALL ($1)
             ORDER BY c.id
            ON CONFLICT (contact_id) DO UPDATE SET marked_at = now(), claimed_until = NULL""")
        .execute(Tuple.tuple().addArrayOfUUID(contacts).addArrayOfUUID(leads)));
    steps.add(count(client, "submissions", "DELETE FROM intake_receipts r WHERE " + RECEIPT_NAMES_PERSON,
        Tuple.of(byPerson.getValue(0), byPerson.getValue(1), byPerson.getValue(2), byPerson.getValue(3)), counts));
    steps.add(count(client, "linkedinResponses",
        "DELETE FROM linkedin_responses WHERE contact_id = ANY ($1) OR lead_id = ANY ($2)",
        Tuple.tuple().addArrayOfUUID(contacts).addArrayOfUUID(leads), counts));
    steps.add(count(client, "journeyTileClaims", """
        DELETE FROM journey_tile_leads WHERE lead_id = ANY ($1) OR created_for = 'contact' AND target_id = ANY ($2)""",
        Tuple.tuple().addArrayOfUUID(leads).addArrayOfUUID(contacts), counts));
    steps.add(count(client, "importErrors", "DELETE FROM import_errors WHERE " + namesPerson("value"),
        Tuple.tuple().addArrayOfString(values).addArrayOfString(person.phones().toArray(String[]::new)).addArrayOfString(person.emails().toArray(String[]::new)), counts));
    steps.add(count(client, "importWarnings", "DELETE FROM import_warnings WHERE " + namesPerson("example_value"),
        Tuple.tuple().addArrayOfString(values).addArrayOfString(person.phones().toArray(String[]::new)).addArrayOfString(person.emails().toArray(String[]::new)), counts));
    // The events of the person's leads, with their deliveries and attempts (cascade): payloads name them.
    steps.add(count(client, "events", "DELETE FROM outbox WHERE lead_id = ANY ($1)", ids(leads), counts));
    steps.add(count(client, "timelineEntries", "DELETE FROM lead_timeline WHERE lead_id = ANY ($1)", ids(leads),
        counts));
    steps.add(count(client, "activities", "DELETE FROM lead_activities WHERE lead_id = ANY ($1)", ids(leads),
        counts));
    steps.add(count(client, "scores", "DELETE FROM lead_scores WHERE lead_id = ANY ($1)", ids(leads), counts));
    steps.add(count(client, "leadsAnonymised", ANONYMISE_LEADS.replace("UPDATE leads SET ",
        "UPDATE leads SET contact_id = NULL, "), ids(kept), counts));
    steps.add(count(client, "leads", "DELETE FROM leads WHERE id = ANY ($1)",
        ids(deletable.toArray(UUID[]::new)), counts));
    steps.add(count(client, "interactions", "DELETE FROM interactions WHERE contact_id = ANY ($1)",
        ids(contacts), counts));
    steps.add(count(client, "opportunitiesAnonymised",
        "UPDATE opportunities SET contact_id = NULL WHERE contact_id = ANY ($1)", ids(contacts), counts));
    // Segment memberships: the segments' rows locked in id order first, as segment evaluation locks them (so the
    // two queue instead of deadlocking), then their member counts, then the memberships.
    steps.add(count(client, "segmentsLocked", """
        SELECT id FROM segments WHERE id IN (SELECT segment_id FROM segment_members WHERE contact_id = ANY ($1))
         ORDER BY id FOR UPDATE""", ids(contacts), counts));
    steps.add(count(client, "segmentsLeft", """
        UPDATE segments s SET member_count = s.member_count - m.n
          FROM (SELECT segment_id, count(*) AS n FROM segment_members WHERE contact_id = ANY ($1) GROUP BY segment_id) m
         WHERE s.id = m.segment_id""", ids(contacts), counts));
    steps.add(count(client, "segmentMemberships", "DELETE FROM segment_members WHERE contact_id = ANY ($1)",
        ids(contacts), counts));
    // Events about the contacts (contact.segment_joined/left): their payloads name the person.
    steps.add(count(client, "contactEvents", "DELETE FROM outbox WHERE contact_id = ANY ($1)", ids(contacts),
        counts));
    steps.add(count(client, "consentChanges", "DELETE FROM contact_consent_history WHERE contact_id = ANY ($1)",
        ids(contacts), counts));
    steps.add(count(client, "contacts", "DELETE FROM contacts WHERE id = ANY ($1)", ids(contacts),
        counts));
    return Future.all(steps).map(done -> {
      JsonObject json = new JsonObject();
      for (String kind : List.of("contacts", "leads", "leadsAnonymised", "opportunitiesAnonymised", "interactions",
          "timelineEntries", "activities", "scores", "submissions", "linkedinResponses", "importErrors",
          "importWarnings", "journeyTileClaims", "events", "contactEvents", "segmentMemberships", "segmentsLeft",
          "consentChanges")) {
        json.put(kind, counts.getOrDefault(kind, 0));
      }
      return json;
    });
  }

  /** The person's values an import cell may hold, lower case: emails and names. */
  private static String[] valuesOf(Person person) {
    List<String> values = new ArrayList<>(person.emails());
    person.names().forEach(name -> values.add(name.strip().toLowerCase(java.util.Locale.ROOT)));
    return values.toArray(String[]::new);
  }

  /**
   * An import cell that names the person: one of their values (an email, a name), their phone by its digits,
   * or a text with their email in it. A stranger's cell that equals their name goes too: better one row error
   * too few than one of theirs kept.
   */
  private static String namesPerson(String column) {
    return "(lower(btrim(" + column + ")) = ANY ($1)"
        + " OR nullif(regexp_replace(" + column + ", '\\D', '', 'g'), '') = ANY ($2)"
        + " OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS e WHERE strpos(lower(" + column + "), e) > 0))";
  }

  private static Tuple ids(UUID[] ids) {
    return Tuple.tuple().addArrayOfUUID(ids);
  }

  private static Future<Void> count(SqlClient client, String kind, String sql, Tuple params, Map<String, Integer> counts) {
    return client.preparedQuery(sql).execute(params).map(rows -> {
      synchronized (counts) {
        counts.merge(kind, rows.rowCount(), Integer::sum);
      }
      return null;
    });
  }

  /** Writes {@code contact.erased} for each erased contact: only its id, so subscribers can erase too. */
  public Future<Void> announce(SqlClient client, List<UUID> contactIds) {
    if (contactIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            INSERT INTO outbox (type, contact_id, payload)
            SELECT 'contact.erased', c, jsonb_build_object('contactId', c) FROM unnest($1::uuid[]) WITH ORDINALITY AS x(c, n)
             ORDER BY n""")
        .execute(ids(contactIds.toArray(UUID[]::new)))
        .mapEmpty();
  }

  /**
   * Deletes the contact when nothing refers to it any more (no lead, interaction or opportunity: what the
   * erased delivery made is gone, and no other source has told us about the person since). True when it
   * was deleted. Its events (contact.segment_*: their payloads name the person) go with it; memberships and
   * consent history follow the contact (cascade), and the segments' member counts are lowered.
   */
  public Future<Boolean> deleteContactIfUnreferenced(SqlClient client, UUID contactId) {
    return client.preparedQuery("""
            WITH gone AS (
              DELETE FROM contacts c WHERE c.id = $1
                 AND NOT EXISTS (SELECT 1 FROM leads WHERE contact_id = c.id)
                 AND NOT EXISTS (SELECT 1 FROM interactions WHERE contact_id = c.id)
                 AND NOT EXISTS (SELECT 1 FROM opportunities WHERE contact_id = c.id)
              RETURNING c.id),
            events AS (DELETE FROM outbox WHERE contact_id IN (SELECT id FROM gone)),
            -- Its memberships go with it (cascade); the segments' member counts go down with them.
            counted AS (
              UPDATE segments s SET member_count = s.member_count - m.n
                FROM (SELECT segment_id, count(*) AS n FROM segment_members
                       WHERE contact_id IN (SELECT id FROM gone) GROUP BY segment_id) m
               WHERE s.id = m.segment_id)
            SELECT id FROM gone""")
        .execute(Tuple.of(contactId))
        .map(rows -> rows.size() == 1);
  }

  /** Whether the contact still exists. */
  public Future<Boolean> contactExists(SqlClient client, UUID contactId) {
    return client.preparedQuery("SELECT EXISTS (SELECT 1 FROM contacts WHERE id = $1) AS present")
        .execute(Tuple.of(contactId))
        .map(rows -> rows.iterator().next().getBoolean("present"));
  }
}
