package io.leadcycle.functions.leadmanagement;

import io.leadcycle.contacts.ContactService;
import io.leadcycle.domain.Account;
import io.leadcycle.domain.AccountDetails;
import io.leadcycle.domain.ContactInput;
import io.leadcycle.domain.ContactPatch;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.LeadPatch;
import io.leadcycle.domain.NewLeadInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.http.JsonViews;
import io.leadcycle.http.Route;
import io.leadcycle.leads.LeadService;
import io.leadcycle.leads.LeadService.LeadWithTimeline;
import io.leadcycle.process.ProcessAction;
import io.leadcycle.process.ProcessRequest;
import io.leadcycle.runtime.Database;
import io.leadcycle.runtime.LeadcycleRuntime;
import io.leadcycle.store.AccountStore;
import io.leadcycle.store.LeadStore;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Lead management: contacts and accounts by hand, leads by hand, the five-stage process actions, the
 * telemarketing and sales views, and each lead's timeline. Every route is a management route.
 */
public final class LeadManagementHandler extends HttpFunction {

  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 200;
  private static final List<String> PROCESS_FIELDS = List.of("action", "ownerId", "stage", "reason", "actor");

  private final Supplier<Database> database;
  private final AccountStore accounts = new AccountStore();

  public LeadManagementHandler() {
    this(LeadcycleRuntime::database);
  }

  public LeadManagementHandler(Supplier<Database> database) {
    this.database = database;
  }

  @Override
  protected List<Route> defineRoutes() {
    return List.of(
        new Route("POST", "/v1/contacts", Access.MANAGEMENT, this::createContact),
        new Route("PATCH", "/v1/contacts/{contactId}", Access.MANAGEMENT, this::patchContact),
        new Route("POST", "/v1/accounts", Access.MANAGEMENT, this::createAccount),
        new Route("GET", "/v1/accounts/{accountId}", Access.MANAGEMENT, this::getAccount),
        new Route("POST", "/v1/leads", Access.MANAGEMENT, this::createLead),
        new Route("GET", "/v1/leads", Access.MANAGEMENT, this::listLeads),
        new Route("GET", "/v1/leads/{leadId}", Access.MANAGEMENT, this::getLead),
        new Route("PATCH", "/v1/leads/{leadId}", Access.MANAGEMENT, this::patchLead),
        new Route("POST", "/v1/leads/{leadId}/process", Access.MANAGEMENT, this::process));
  }

  private HttpResponse createContact(HttpRequest request) {
    ContactInput input = ContactInput.parse(request.jsonMap());
    return HttpResponse.json(201, JsonViews.contact(new ContactService(database.get()).create(input).await()));
  }

  private HttpResponse patchContact(HttpRequest request) {
    UUID id = id(request, "contactId", "contact");
    ContactPatch patch = ContactPatch.parse(request.jsonMap());
    return HttpResponse.json(200, JsonViews.contact(new ContactService(database.get()).patch(id, patch).await()));
  }

  private HttpResponse createAccount(HttpRequest request) {
    AccountDetails details = AccountDetails.parse(request.jsonMap());
    Account account = database.get().inTransaction(conn -> accounts.create(conn, details)).await();
    return HttpResponse.json(201, JsonViews.account(account));
  }

  private HttpResponse getAccount(HttpRequest request) {
    UUID id = id(request, "accountId", "account");
    Account account = database.get().read(conn -> accounts.find(conn, id)).await();
    if (account == null) {
      throw new NotFound("No account with id " + id + ".");
    }
    return HttpResponse.json(200, JsonViews.account(account));
  }

  private HttpResponse createLead(HttpRequest request) {
    JsonObject body = request.jsonBody();
    NewLeadInput input = NewLeadInput.parse(withoutActor(body));
    return leadResponse(201, leads().create(input, actor(request, body)).await());
  }

  private HttpResponse getLead(HttpRequest request) {
    return leadResponse(200, leads().get(id(request, "leadId", "lead")).await());
  }

  private HttpResponse patchLead(HttpRequest request) {
    UUID id = id(request, "leadId", "lead");
    JsonObject body = request.jsonBody();
    LeadPatch patch = LeadPatch.parse(withoutActor(body));
    return leadResponse(200, leads().patch(id, patch, actor(request, body)).await());
  }

  /** {@code {"action": ..., "ownerId"?, "stage"?, "reason"?, "actor"?}}. */
  private HttpResponse process(HttpRequest request) {
    UUID id = id(request, "leadId", "lead");
    JsonObject body = request.jsonBody();
    for (String field : body.fieldNames()) {
      if (!PROCESS_FIELDS.contains(field)) {
        throw new InvalidInput(field, "unknown field; allowed: " + String.join(", ", PROCESS_FIELDS));
      }
    }
    Object action = body.getValue("action");
    ProcessAction parsed = action instanceof String name ? ProcessAction.fromWireName(name).orElse(null) : null;
    if (parsed == null) {
      throw new InvalidInput("action", "one of: mark-telemarketing-ready, accept-telemarketing, ready-for-sales, "
          + "mark-sales-ready, accept-sales, move, disqualify, convert");
    }
    ProcessRequest processRequest = new ProcessRequest(parsed, text(body, "ownerId"), text(body, "stage"),
        text(body, "reason"));
    return leadResponse(200, leads().act(id, processRequest, actor(request, body)).await());
  }

  private HttpResponse listLeads(HttpRequest request) {
    String viewName = request.queryParameter("view");
    LeadStore.View view;
    try {
      view = viewName == null ? LeadStore.View.ALL : LeadStore.View.valueOf(viewName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInput("view", "one of: telemarketing, sales, all");
    }
    int limit = limit(request.queryParameter("limit"));
    Instant afterCreated = null;
    UUID afterId = null;
    String after = request.queryParameter("after");
    if (after != null) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split("\\|", 2);
        afterCreated = Instant.parse(parts[0]);
        afterId = UUID.fromString(parts[1]);
      } catch (RuntimeException e) {
        throw new InvalidInput("after", "not a cursor from a previous page's \"next\"");
      }
    }
    LeadStore.Page page = leads().list(view, request.queryParameter("stage"), afterCreated, afterId, limit).await();
    String next = page.more() ? Base64.getUrlEncoder().withoutPadding().encodeToString(
        (page.last().createdAt() + "|" + page.last().id()).getBytes(StandardCharsets.UTF_8)) : null;
    return HttpResponse.json(200, JsonViews.page(page.items(), JsonViews::lead, next));
  }

  private LeadService leads() {
    return new LeadService(database.get());
  }

  private static HttpResponse leadResponse(int status, LeadWithTimeline lead) {
    return HttpResponse.json(status, JsonViews.lead(lead.lead(), lead.timeline()));
  }

  private static int limit(String raw) {
    if (raw == null) {
      return DEFAULT_PAGE_SIZE;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_PAGE_SIZE) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInput("limit", "a whole number from 1 to " + MAX_PAGE_SIZE);
  }

  /** An id in the path that is not a UUID names nothing: 404, like any unknown id. */
  private static UUID id(HttpRequest request, String parameter, String what) {
    String raw = request.pathParameter(parameter);
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new NotFound("No " + what + " with id " + raw + ".");
    }
  }

  /**
   * Who acted, for the timeline: the JWT subject in AWS; locally, where one token is shared, the
   * body's optional {@code actor}; else "api".
   */
  private static String actor(HttpRequest request, JsonObject body) {
    if (request.principal() != null) {
      return request.principal();
    }
    String actor = text(body, "actor");
    if (actor != null && actor.length() > 200) {
      throw new InvalidInput("actor", "longer than 200 characters");
    }
    return actor != null ? actor : "api";
  }

  private static java.util.Map<String, Object> withoutActor(JsonObject body) {
    java.util.Map<String, Object> map = HttpRequest.plain(body);
    map.remove("actor");
    return map;
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new InvalidInput(field, "must be a string");
    }
    return text.isBlank() ? null : text.strip();
  }
}
