package io.leadcycle.functions.segments;

import io.leadcycle.http.Csv;
import io.leadcycle.segments.Segment;
import io.leadcycle.store.SegmentStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** How segments, their members and previews look on the wire (docs/api.md, "Segments"). */
final class SegmentViews {

  /** The members export's columns, in order. */
  static final List<String> MEMBER_COLUMNS = List.of("contactId", "email", "firstName", "lastName", "companyName",
      "jobTitle", "country", "accountId", "joinedAt");

  private SegmentViews() {
  }

  /**
   * {@code {id, name, kind, requiresConsent, definition, memberCount, evaluation, createdAt, updatedAt}}:
   * {@code evaluation} is {@code {status, evaluatedAt}} for a dynamic segment and null for a static one.
   */
  static JsonObject segment(Segment s) {
    JsonObject evaluation = s.dynamic()
        ? new JsonObject().put("status", s.evaluationStatus()).put("evaluatedAt", text(s.evaluatedAt()))
        : null;
    return new JsonObject()
        .put("id", s.id().toString())
        .put("name", s.name())
        .put("kind", s.kind().wireName())
        .put("requiresConsent", s.requiresConsent())
        .put("definition", s.definition() == null ? null : new JsonObject(s.definition()))
        .put("memberCount", s.memberCount())
        .put("evaluation", evaluation)
        .put("createdAt", text(s.createdAt()))
        .put("updatedAt", text(s.updatedAt()));
  }

  /** A member: the contact's id and the fields a journey tool needs to reach it, and when it joined. */
  static JsonObject member(SegmentStore.Member m) {
    return new JsonObject()
        .put("contactId", m.contactId().toString())
        .put("email", m.email())
        .put("firstName", m.firstName())
        .put("lastName", m.lastName())
        .put("companyName", m.companyName())
        .put("jobTitle", m.jobTitle())
        .put("country", m.country())
        .put("accountId", m.accountId() == null ? null : m.accountId().toString())
        .put("joinedAt", text(m.joinedAt()));
  }

  /** One CSV row: text people typed is formula-guarded ({@link Csv#text}); ids and times as they are. */
  static List<String> memberCells(SegmentStore.Member m) {
    return java.util.Arrays.asList(Csv.value(m.contactId()), Csv.text(m.email()), Csv.text(m.firstName()),
        Csv.text(m.lastName()), Csv.text(m.companyName()), Csv.text(m.jobTitle()), Csv.text(m.country()),
        Csv.value(m.accountId()), Csv.value(m.joinedAt()));
  }

  /** {@code {count, members: [...]}}: a preview's members have no joinedAt. */
  static JsonObject preview(SegmentStore.Preview preview) {
    JsonArray members = new JsonArray();
    preview.members().forEach(m -> {
      JsonObject view = member(m);
      view.remove("joinedAt");
      members.add(view);
    });
    return new JsonObject().put("count", preview.count()).put("members", members);
  }

  /** {@code {joined, left, memberCount}}: what a change of a static segment's members did. */
  static JsonObject changes(SegmentStore.Changes changes) {
    return new JsonObject().put("joined", changes.joined()).put("left", changes.left())
        .put("memberCount", changes.members());
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
