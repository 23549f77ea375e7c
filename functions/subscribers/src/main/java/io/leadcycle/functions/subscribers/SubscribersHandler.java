package io.leadcycle.functions.subscribers;

import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.domain.DeliveryLogEntry;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.SubscriberInput;
import io.leadcycle.domain.SubscriberPatch;
import io.leadcycle.domain.WebhookUrlPolicy;
import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.events.JsonViews;
import io.leadcycle.http.Paging;
import io.leadcycle.http.Route;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.JsonLog;
import io.leadcycle.store.DeliveryLogStore;
import io.leadcycle.store.SubscriberStore;
import io.leadcycle.subscribers.SubscriberService;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Subscriber management: receivers of signed outbound webhooks (created with a secret shown once,
 * listed, read, changed, disabled, deleted, their secret rotated) and each one's delivery log with
 * redelivery by hand. Every route is a management route. Where a webhook may go is the
 * {@link WebhookUrlPolicy} of this process, read once when the handler is created.
 */
public final class SubscribersHandler extends HttpFunction {

  private final Supplier<Database> database;

  private final WebhookUrlPolicy policy;

  /** The constructor Lambda calls: the database comes from the environment, on first use. */
  public SubscribersHandler() {
    this.database = SharedDatabase.warmingUp();
    this.policy = policy(System.getenv());
  }

  /** This process's policy; the development host's relaxation asked for in Lambda is ignored, with a warning. */
  static WebhookUrlPolicy policy(java.util.Map<String, String> env) {
    WebhookUrlPolicy.Choice choice = WebhookUrlPolicy.current(env);
    if (choice.warning() != null) {
      JsonLog.warn(null, choice.warning(), new JsonObject());
    }
    return choice.policy();
  }

  public SubscribersHandler(Supplier<Database> database, WebhookUrlPolicy policy) {
    this.database = database;
    this.policy = policy;
  }

  @Override
  protected List<Route> defineRoutes() {
    return List.of(
        new Route("POST", "/v1/subscribers", Access.MANAGEMENT, this::create),
        new Route("GET", "/v1/subscribers", Access.MANAGEMENT, this::list),
        new Route("GET", "/v1/subscribers/{subscriberId}", Access.MANAGEMENT, this::get),
        new Route("PATCH", "/v1/subscribers/{subscriberId}", Access.MANAGEMENT, this::update),
        new Route("DELETE", "/v1/subscribers/{subscriberId}", Access.MANAGEMENT, this::delete),
        new Route("POST", "/v1/subscribers/{subscriberId}/rotate-secret", Access.MANAGEMENT, this::rotateSecret),
        new Route("GET", "/v1/subscribers/{subscriberId}/deliveries", Access.MANAGEMENT, this::deliveries),
        new Route("POST", "/v1/subscribers/{subscriberId}/deliveries/{deliveryId}/redeliver", Access.MANAGEMENT,
            this::redeliver));
  }

  /** {@code {url, events, description?}} → 201 with the view and {@code secret}, shown this once. */
  private HttpResponse create(HttpRequest request) {
    SubscriberInput input = SubscriberInput.parse(request.jsonMap(), policy);
    return HttpResponse.json(201, SubscriberViews.created(service().create(input).await()));
  }

  /** {@code ?limit=&after=}: subscribers in creation order. */
  private HttpResponse list(HttpRequest request) {
    int limit = Paging.limit(request);
    Paging.Cursor after = Paging.after(request);
    SubscriberStore.Page page = service().list(after == null ? null : after.created(),
        after == null ? null : after.id(), limit).await();
    String next = page.more() ? Paging.next(page.last().createdAt(), page.last().id()) : null;
    return HttpResponse.json(200, JsonViews.page(page.items(), SubscriberViews::subscriber, next));
  }

  private HttpResponse get(HttpRequest request) {
    return HttpResponse.json(200, SubscriberViews.subscriber(service().get(subscriberId(request)).await()));
  }

  /** Merge semantics: absent members stay; {@code {}} is a 400. */
  private HttpResponse update(HttpRequest request) {
    UUID id = subscriberId(request);
    SubscriberPatch patch = SubscriberPatch.parse(request.jsonMap(), policy);
    return HttpResponse.json(200, SubscriberViews.subscriber(service().update(id, patch).await()));
  }

  private HttpResponse delete(HttpRequest request) {
    service().delete(subscriberId(request)).await();
    return HttpResponse.empty(204);
  }

  /** No body: one that is sent is not read. → {@code {secret, previousSecretExpiresAt}}. */
  private HttpResponse rotateSecret(HttpRequest request) {
    return HttpResponse.json(200, SubscriberViews.rotated(service().rotateSecret(subscriberId(request)).await()));
  }

  /** {@code ?status=pending|delivered|failed&limit=&after=}: the deliveries, newest first, with their attempts. */
  private HttpResponse deliveries(HttpRequest request) {
    UUID id = subscriberId(request);
    String status = request.queryParameter("status");
    if (status != null && !DeliveryLogEntry.STATUSES.contains(status)) {
      throw new InvalidInput("status", "one of: " + String.join(", ", DeliveryLogEntry.STATUSES));
    }
    int limit = Paging.limit(request);
    Paging.Cursor after = Paging.after(request);
    DeliveryLogStore.Page page = service().deliveries(id, status, after == null ? null : after.created(),
        after == null ? null : after.id(), limit).await();
    String next = page.more() ? Paging.next(page.last().createdAt(), page.last().id()) : null;
    return HttpResponse.json(200, JsonViews.page(page.items(), SubscriberViews::delivery, next));
  }

  /** No body. → 202: the delivery is pending again, due now. */
  private HttpResponse redeliver(HttpRequest request) {
    UUID id = subscriberId(request);
    UUID deliveryId = request.uuidPathParameter("deliveryId", "delivery");
    service().redeliver(id, deliveryId).await();
    return HttpResponse.json(202, new JsonObject().put("id", deliveryId.toString()).put("status", "pending"));
  }

  private SubscriberService service() {
    return new SubscriberService(database());
  }

  private static UUID subscriberId(HttpRequest request) {
    return request.uuidPathParameter("subscriberId", "subscriber");
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
