package io.leadcycle.functions.segments;

import io.leadcycle.domain.IdList;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.events.JsonViews;
import io.leadcycle.http.Access;
import io.leadcycle.http.Csv;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.http.Paging;
import io.leadcycle.http.Route;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.segments.Segment;
import io.leadcycle.segmentation.SegmentService;
import io.leadcycle.segments.SegmentParser;
import io.leadcycle.store.SegmentStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Segments (docs/segments.md): lists of contacts for customer journeys. Dynamic segments are defined by
 * conditions and evaluated when created or changed (in the request's transaction); static ones keep the members
 * added by id. Members are read as JSON or CSV, a draft definition is previewed without saving. Every route is a
 * management route; read by every role, changed by marketing.
 *
 * <p>A call whose contacts joined or left nudges threshold notification once its transaction has committed
 * ({@code NOTIFICATION_NUDGE_QUEUE_URL}; without it the schedule delivers the events), so a journey engine hears
 * within seconds.
 */
public final class SegmentsHandler extends HttpFunction {

  /** A CSV page: more rows than JSON's, bounded by size as the score export is. */
  static final int CSV_DEFAULT_LIMIT = 1000;
  static final int CSV_MAX_LIMIT = 10_000;
  static final long CSV_MAX_BYTES = 5L * 1024 * 1024;
  private static final String MEMBERS_ORDER = "members";

  private final Supplier<Database> database;
  private final Clock clock;
  private final Supplier<Nudge> nudge;

  /** The constructor Lambda calls: the database and the nudge come from the environment, on first use. */
  public SegmentsHandler() {
    this.database = SharedDatabase.warmingUp();
    this.clock = Clock.systemUTC();
    this.nudge = AwsResources.NOTIFICATION_NUDGE;
  }

  public SegmentsHandler(Supplier<Database> database, Clock clock, Nudge notificationNudge) {
    this.database = database;
    this.clock = clock;
    this.nudge = () -> notificationNudge;
  }

  @Override
  protected List<Route> defineRoutes() {
    return List.of(
        new Route("POST", "/v1/segments", Access.MANAGEMENT, this::create),
        new Route("GET", "/v1/segments", Access.MANAGEMENT, this::list),
        new Route("POST", "/v1/segments/preview", Access.MANAGEMENT, this::preview),
        new Route("GET", "/v1/segments/{segmentId}", Access.MANAGEMENT, this::get),
        new Route("PUT", "/v1/segments/{segmentId}", Access.MANAGEMENT, this::replace),
        new Route("DELETE", "/v1/segments/{segmentId}", Access.MANAGEMENT, this::delete),
        new Route("GET", "/v1/segments/{segmentId}/members", Access.MANAGEMENT, this::members),
        new Route("POST", "/v1/segments/{segmentId}/members", Access.MANAGEMENT, this::addMembers),
        new Route("DELETE", "/v1/segments/{segmentId}/members/{contactId}", Access.MANAGEMENT, this::removeMember));
  }

  /** → 201 the segment; a dynamic one already evaluated (memberCount, evaluation). */
  private HttpResponse create(HttpRequest request) {
    Segment segment = service().create(SegmentParser.segment(request.jsonMap())).await();
    nudgeIf(segment.memberCount() > 0);
    return HttpResponse.json(201, SegmentViews.segment(segment));
  }

  /** {@code ?limit=&after=}: segments in creation order, with their member counts and evaluation state. */
  private HttpResponse list(HttpRequest request) {
    int limit = Paging.limit(request);
    Paging.Cursor after = Paging.after(request);
    SegmentStore.Page page = service().list(after == null ? null : after.created(),
        after == null ? null : after.id(), limit).await();
    String next = page.more() ? Paging.next(page.last().createdAt(), page.last().id()) : null;
    return HttpResponse.json(200, JsonViews.page(page.items(), SegmentViews::segment, next));
  }

  private HttpResponse get(HttpRequest request) {
    return HttpResponse.json(200, SegmentViews.segment(service().get(segmentId(request)).await()));
  }

  /** Replaces the whole segment (PUT semantics); a dynamic one is evaluated again. */
  private HttpResponse replace(HttpRequest request) {
    UUID id = segmentId(request);
    Segment segment = service().replace(id, SegmentParser.segment(request.jsonMap())).await();
    nudgeIf(segment.dynamic()); // its evaluation may have changed members
    return HttpResponse.json(200, SegmentViews.segment(segment));
  }

  private HttpResponse delete(HttpRequest request) {
    service().delete(segmentId(request)).await();
    return HttpResponse.empty(204);
  }

  /** {@code {definition, requiresConsent?}} → {@code {count, members: [first 20]}}; writes nothing. */
  private HttpResponse preview(HttpRequest request) {
    return HttpResponse.json(200, SegmentViews.preview(service().preview(SegmentParser.draft(request.jsonMap())).await()));
  }

  /**
   * {@code ?format=json|csv&limit=&after=}: the members by contact id. JSON answers the usual page; CSV a header
   * row and up to {@code limit} rows, formula-guarded. Both name the next page in {@code x-next-cursor} and a
   * {@code Link} (and JSON in {@code next}).
   */
  private HttpResponse members(HttpRequest request) {
    UUID id = segmentId(request);
    String format = request.queryParameter("format");
    boolean csv = "csv".equals(format);
    if (format != null && !csv && !"json".equals(format)) {
      throw new InvalidInput("format", "json (the default) or csv");
    }
    int limit = csv ? Paging.limit(request, CSV_DEFAULT_LIMIT, CSV_MAX_LIMIT) : Paging.limit(request);
    String[] after = Paging.afterTagged(request, MEMBERS_ORDER, 1);
    UUID afterContact = after == null ? null
        : IdList.uuid(after[0], "after", "not a cursor from a previous page's \"next\"");
    SegmentStore.MemberPage page = service().members(id, afterContact, limit).await();
    if (!csv) {
      String next = page.more() ? Paging.nextTagged(MEMBERS_ORDER, page.last().contactId().toString()) : null;
      return withNext(HttpResponse.json(200, JsonViews.page(page.items(), SegmentViews::member, next)), request, next);
    }
    Csv table = new Csv().record(SegmentViews.MEMBER_COLUMNS);
    SegmentStore.Member last = null;
    boolean cut = false;
    for (SegmentStore.Member member : page.items()) {
      if (!table.recordWithin(SegmentViews.memberCells(member), CSV_MAX_BYTES)) {
        cut = true;
        break;
      }
      last = member;
    }
    String next = (page.more() || cut) && last != null
        ? Paging.nextTagged(MEMBERS_ORDER, last.contactId().toString()) : null;
    HttpResponse response = new HttpResponse(200, Map.of(
        "content-type", "text/csv; charset=utf-8",
        "content-disposition", "attachment; filename=\"segment-" + id + ".csv\""), table.toString());
    return withNext(response, request, next);
  }

  /** {@code {contactIds: [...]}} → 200 {@code {joined, left, memberCount}}; static segments only (409 otherwise). */
  private HttpResponse addMembers(HttpRequest request) {
    UUID id = segmentId(request);
    List<UUID> contactIds = SegmentParser.contactIds(request.jsonMap());
    SegmentStore.Changes changes = service().addMembers(id, contactIds).await();
    nudgeIf(changes.joined() > 0);
    return HttpResponse.json(200, SegmentViews.changes(changes));
  }

  /** → 200 {@code {joined, left, memberCount}}; 404 when the contact is no member. */
  private HttpResponse removeMember(HttpRequest request) {
    UUID id = segmentId(request);
    UUID contactId = request.uuidPathParameter("contactId", "contact");
    SegmentStore.Changes changes = service().removeMember(id, contactId).await();
    nudgeIf(true);
    return HttpResponse.json(200, SegmentViews.changes(changes));
  }

  /** Nudges threshold notification when the committed change wrote events (a spare nudge costs one empty run). */
  private void nudgeIf(boolean wroteEvents) {
    if (wroteEvents) {
      nudge.get().send("segments");
    }
  }

  private static HttpResponse withNext(HttpResponse response, HttpRequest request, String next) {
    return Paging.withNext(response, request, next, List.of("format", "limit"));
  }

  private SegmentService service() {
    return new SegmentService(database.get(), clock);
  }

  private static UUID segmentId(HttpRequest request) {
    return request.uuidPathParameter("segmentId", "segment");
  }
}
