package io.leadcycle.functions.leadmanagement;

import io.leadcycle.aws.AwsResources;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.contacts.ContactService;
import io.leadcycle.segmentation.SegmentService;
import io.leadcycle.store.SegmentStore;
import io.leadcycle.domain.Account;
import io.leadcycle.domain.Activity;
import io.leadcycle.domain.AccountDetails;
import io.leadcycle.domain.Contact;
import io.leadcycle.domain.ContactInput;
import io.leadcycle.domain.ContactPatch;
import io.leadcycle.domain.EventTypes;
import io.leadcycle.domain.ErasureRequest;
import io.leadcycle.privacy.PrivacyKey;
import io.leadcycle.store.TombstoneStore.Erasure;
import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.IdList;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.Lead;
import io.leadcycle.domain.LeadPatch;
import io.leadcycle.domain.NewLeadInput;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.SearchQuery;
import io.leadcycle.domain.UserInput;
import io.leadcycle.http.Access;
import io.leadcycle.http.Caller;
import io.leadcycle.http.Permissions;
import io.leadcycle.http.Problem;
import io.leadcycle.http.Role;
import io.leadcycle.users.User;
import io.leadcycle.users.UserService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.events.JsonViews;
import io.leadcycle.http.Paging;
import io.leadcycle.http.Route;
import io.leadcycle.leads.LeadService;
import io.leadcycle.privacy.ErasureService;
import io.leadcycle.privacy.PrivacyService;
import io.leadcycle.leads.LeadService.LeadWithTimeline;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.process.ProcessAction;
import io.leadcycle.process.ProcessDefinition;
import io.leadcycle.process.ProcessStatus;
import io.leadcycle.processes.ProcessService;
import io.leadcycle.store.ProcessStore;
import io.leadcycle.process.ProcessRequest;
import io.leadcycle.process.StageAction;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.Metric;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.LeadStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Lead management: contacts (every {@code /v1/contacts} route), accounts and leads by hand, the
 * five-stage process actions (each allowed to the roles {@link Permissions} names), the telemarketing and
 * sales views, each lead's timeline, the people who work them ({@code /v1/me}, {@code /v1/users}), and the
 * process definitions ({@code /v1/processes}: drafted, published, versioned, retired; the shipped one read-only).
 * Every route is a management route.
 *
 * <p>A process action that wrote lead events nudges threshold notification once its transaction has
 * committed ({@code NOTIFICATION_NUDGE_QUEUE_URL}; without it the schedule delivers them). A change that
 * marked contacts for rescoring (a contact edited, a lead created with a contact or account, a lead
 * linked to another contact or account) nudges score recalculation the same way
 * ({@code SCORING_NUDGE_QUEUE_URL}). A lead change (an action that wrote events, an edit) marks the lead's contact
 * for segments and nudges segment evaluation ({@code SEGMENT_NUDGE_QUEUE_URL}); the others reach segment
 * evaluation through score recalculation, which nudges it after rescoring.
 */
public final class LeadManagementHandler extends HttpFunction {

  private final Supplier<Database> database;

  private final Supplier<Nudge> nudge;
  private final Supplier<Nudge> scoringNudge;
  private final Supplier<Nudge> segmentNudge;

  /** The constructor Lambda calls: the database and the nudges come from the environment, on first use. */
  public LeadManagementHandler() {
    this.database = SharedDatabase.warmingUp();
    this.nudge = AwsResources.NOTIFICATION_NUDGE;
    this.scoringNudge = AwsResources.SCORING_NUDGE;
    this.segmentNudge = AwsResources.SEGMENT_NUDGE;
  }

  public LeadManagementHandler(Supplier<Database> database) {
    this(database, Nudge.NONE);
  }

  public LeadManagementHandler(Supplier<Database> database, Nudge nudge) {
    this(database, nudge, Nudge.NONE);
  }

  public LeadManagementHandler(Supplier<Database> database, Nudge notificationNudge, Nudge scoringNudge) {
    this(database, notificationNudge, scoringNudge, Nudge.NONE);
  }

  public LeadManagementHandler(Supplier<Database> database, Nudge notificationNudge, Nudge scoringNudge,
      Nudge segmentNudge) {
    this.database = database;
    this.nudge = () -> notificationNudge;
    this.scoringNudge = () -> scoringNudge;
    this.segmentNudge = () -> segmentNudge;
  }

  @Override
  protected List<Route> defineRoutes() {
    return List.of(
        new Route("POST", "/v1/contacts", Access.MANAGEMENT, this::createContact),
        new Route("GET", "/v1/contacts", Access.MANAGEMENT, this::findContacts),
        new Route("GET", "/v1/contacts/{contactId}", Access.MANAGEMENT, this::getContact),
        new Route("PATCH", "/v1/contacts/{contactId}", Access.MANAGEMENT, this::patchContact),
        new Route("POST", "/v1/accounts", Access.MANAGEMENT, this::createAccount),
        new Route("GET", "/v1/accounts", Access.MANAGEMENT, this::listAccounts),
        new Route("GET", "/v1/accounts/{accountId}", Access.MANAGEMENT, this::getAccount),
        new Route("POST", "/v1/leads", Access.MANAGEMENT, this::createLead),
        new Route("GET", "/v1/leads", Access.MANAGEMENT, this::listLeads),
        new Route("GET", "/v1/leads/{leadId}", Access.MANAGEMENT, this::getLead),
        new Route("PATCH", "/v1/leads/{leadId}", Access.MANAGEMENT, this::patchLead),
        new Route("POST", "/v1/leads/{leadId}/process", Access.MANAGEMENT, this::process),
        new Route("POST", "/v1/leads/{leadId}/activities", Access.MANAGEMENT, this::logActivity),
        new Route("GET", "/v1/me", Access.MANAGEMENT, this::me),
        new Route("GET", "/v1/users", Access.MANAGEMENT, this::listUsers),
        new Route("POST", "/v1/users", Access.MANAGEMENT, this::createUser),
        new Route("PATCH", "/v1/users/{userId}", Access.MANAGEMENT, this::patchUser),
        new Route("DELETE", "/v1/users/{userId}", Access.MANAGEMENT, this::disableUser),
        new Route("POST", "/v1/processes", Access.MANAGEMENT, this::createProcess),
        new Route("GET", "/v1/processes", Access.MANAGEMENT, this::listProcesses),
        new Route("GET", "/v1/processes/{processId}", Access.MANAGEMENT, this::getProcess),
        new Route("PUT", "/v1/processes/{processId}", Access.MANAGEMENT, this::replaceProcess),
        new Route("POST", "/v1/processes/{processId}/publish", Access.MANAGEMENT, this::publishProcess),
        new Route("POST", "/v1/processes/{processId}/retire", Access.MANAGEMENT, this::retireProcess),
        new Route("GET", "/v1/processes/{processId}/versions/{version}", Access.MANAGEMENT, this::processVersion),
        new Route("GET", "/v1/privacy/contacts/{contactId}/export", Access.MANAGEMENT, this::exportPersonalData),
        new Route("POST", "/v1/privacy/erasures", Access.MANAGEMENT, this::erase),
        new Route("GET", "/v1/privacy/erasures", Access.MANAGEMENT, this::listErasures));
  }

  // ---- privacy requests ----

  /**
   * Everything held about the person as one JSON document, offered as a download (docs/privacy.md); never cached: it
   * is the person's data.
   */
  private HttpResponse exportPersonalData(HttpRequest request) {
    UUID id = request.uuidPathParameter("contactId", "contact");
    JsonObject document = new PrivacyService(database.get()).export(id).await();
    if (document == null) {
      throw new NotFound("No contact with id " + id + ".");
    }
    return HttpResponse.json(200, document).withHeaders(Map.of(
        "content-disposition", "attachment; filename=\"contact-" + id + ".json\"",
        "cache-control", "no-store"));
  }

  /**
   * {@code {contactId | email, reason}} → 201 the tombstone: everything that named the person is gone, in one
   * transaction (docs/privacy.md). The caller is the actor; the reason must not name the person.
   */
  private HttpResponse erase(HttpRequest request) {
    ErasureRequest erasure = ErasureRequest.parse(request.jsonMap());
    Erasure done = erasures().erase(erasure, request.actor(Map.of())).await();
    nudge.get().send("contact-erased"); // contact.erased is in the outbox, committed by now
    scoringNudge.get().send("contact-erased"); // the person's accounts' other contacts were marked for rescoring
    return HttpResponse.json(201, erasure(done)).withHeaders(Map.of("cache-control", "no-store"));
  }

  /** The tombstones, newest first, cursor-paged ({@code limit}, {@code after}): no personal data. */
  private HttpResponse listErasures(HttpRequest request) {
    int limit = Paging.limit(request);
    Paging.Cursor after = Paging.after(request);
    List<Erasure> page = erasures().list(after == null ? null : after.created(), after == null ? null : after.id(),
        limit + 1).await();
    boolean more = page.size() > limit;
    List<Erasure> items = more ? page.subList(0, limit) : page;
    Erasure last = items.isEmpty() ? null : items.get(items.size() - 1);
    return HttpResponse.json(200, JsonViews.page(items, LeadManagementHandler::erasure,
        more ? Paging.next(last.erasedAt(), last.id()) : null));
  }

  private static JsonObject erasure(Erasure erasure) {
    return new JsonObject().put("id", erasure.id().toString())
        .put("contactId", erasure.contactIds().isEmpty() ? null : erasure.contactIds().get(0).toString())
        .put("contactIds", new JsonArray(erasure.contactIds().stream().map(UUID::toString).toList()))
        .put("erasedAt", erasure.erasedAt().toString())
        .put("reason", erasure.reason())
        .put("actor", erasure.actor())
        .put("counts", erasure.counts())
        .put("refusedCount", erasure.refusedCount())
        .put("lastRefusedAt", erasure.lastRefusedAt() == null ? null : erasure.lastRefusedAt().toString())
        .put("recreatedAt", erasure.recreatedAt() == null ? null : erasure.recreatedAt().toString());
  }

  private ErasureService erasures() {
    return new ErasureService(database(), PrivacyKey.required());
  }

  // ---- process definitions ----

  private HttpResponse createProcess(HttpRequest request) {
    ProcessDefinition definition = ProcessDefinition.parse(request.jsonMap());
    return HttpResponse.json(201, ProcessViews.process(processes().create(definition).await()));
  }

  /** {@code ?status=draft|live|retired&limit=&after=}: processes in creation order, the shipped one first. */
  private HttpResponse listProcesses(HttpRequest request) {
    String statusName = request.queryParameter("status");
    ProcessStatus status = statusName == null ? null : ProcessStatus.fromWireName(statusName)
        .orElseThrow(() -> new InvalidInput("status", "one of: draft, live, retired"));
    int limit = Paging.limit(request);
    Paging.KeyCursor after = Paging.afterTimeAndKey(request);
    ProcessStore.Page page = processes().list(status, after == null ? null : after.at(),
        after == null ? null : after.key(), limit).await();
    String next = page.more() ? Paging.next(page.last().createdAt(), page.last().id()) : null;
    return HttpResponse.json(200, JsonViews.page(page.items(), ProcessViews::process, next));
  }

  private HttpResponse getProcess(HttpRequest request) {
    return HttpResponse.json(200, ProcessViews.process(processes().get(processId(request)).await()));
  }

  /** A draft is replaced in place; a live process gets a new version, live at once. */
  private HttpResponse replaceProcess(HttpRequest request) {
    String id = processId(request);
    ProcessDefinition definition = ProcessDefinition.parse(request.jsonMap());
    return HttpResponse.json(200, ProcessViews.process(processes().replace(id, definition).await()));
  }

  /** No body: one that is sent is not read. */
  private HttpResponse publishProcess(HttpRequest request) {
    return HttpResponse.json(200, ProcessViews.process(processes().publish(processId(request)).await()));
  }

  /** No body: one that is sent is not read. */
  private HttpResponse retireProcess(HttpRequest request) {
    return HttpResponse.json(200, ProcessViews.process(processes().retire(processId(request)).await()));
  }

  private HttpResponse processVersion(HttpRequest request) {
    String id = processId(request);
    String raw = request.pathParameter("version");
    int version;
    try {
      version = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      version = 0;
    }
    if (version < 1) {
      throw new NotFound("Process " + id + " has no version " + raw + ": versions are numbered from 1.");
    }
    return HttpResponse.json(200, ProcessViews.version(processes().version(id, version).await()));
  }

  /** The shipped process's id, or a UUID: anything else names no process (404, like an unknown id). */
  private static String processId(HttpRequest request) {
    String raw = request.pathParameter("processId");
    return ProcessDefinition.DEFAULT_ID.equals(raw) ? raw : request.uuidPathParameter("processId", "process").toString();
  }

  private ProcessService processes() {
    return new ProcessService(database.get());
  }

  /**
   * {@code {id, name, email, roles}} of the caller, as their token says. A user an identity provider vouched
   * for (Cognito) is recorded, so that owner pickers ({@code GET /v1/users}) list them from then on.
   */
  private HttpResponse me(HttpRequest request) {
    Caller caller = request.caller();
    List<String> roles = caller.roles().stream().map(Role::wireName).toList();
    if (caller.external()) {
      users().recordSeen(caller.id(), caller.name() == null ? caller.id() : caller.name(), caller.email(), roles).await();
    }
    return HttpResponse.json(200, new JsonObject().put("id", caller.id()).put("name", caller.name())
        .put("email", caller.email()).put("roles", new JsonArray(roles)));
  }

  /** {@code [{id, name, roles}]}: everyone who is not disabled, by name (owner pickers). */
  private HttpResponse listUsers(HttpRequest request) {
    JsonArray users = new JsonArray();
    users().list().await().forEach(user -> users.add(new JsonObject().put("id", user.id().toString())
        .put("name", user.name()).put("roles", new JsonArray(user.roles()))));
    return new HttpResponse(200, Map.of("content-type", "application/json"), users.encode());
  }

  /** {@code {name, email?, roles}} → 201 {@code {id, name, email, roles, token}}: the token shown this once. */
  private HttpResponse createUser(HttpRequest request) {
    requireLocalUsers(request);
    User.Created created = users().create(UserInput.parseNew(request.jsonMap())).await();
    return HttpResponse.json(201, user(created.user()).put("token", created.token()))
        .withHeaders(Map.of("location", "/v1/users/" + created.user().id(), "cache-control", "no-store"));
  }

  private HttpResponse patchUser(HttpRequest request) {
    requireLocalUsers(request);
    UUID id = request.uuidPathParameter("userId", "user");
    return HttpResponse.json(200, user(users().patch(id, UserInput.parsePatch(request.jsonMap())).await()));
  }

  /** Disables the user (their token stops working at once); timelines keep their name. */
  private HttpResponse disableUser(HttpRequest request) {
    requireLocalUsers(request);
    users().disable(request.uuidPathParameter("userId", "user")).await();
    return HttpResponse.empty(204);
  }

  /** Users with tokens are the local server's; behind an identity provider, users and groups are kept there. */
  private static void requireLocalUsers(HttpRequest request) {
    if (request.caller().external()) {
      throw new Conflict("Users are managed in the identity provider: in AWS, create them in the Cognito user pool "
          + "and give roles with its groups (docs/deployment.md, \"Users and roles\").");
    }
  }

  private static JsonObject user(User user) {
    return new JsonObject().put("id", user.id().toString()).put("name", user.name()).put("email", user.email())
        .put("roles", new JsonArray(user.roles()));
  }

  private HttpResponse createContact(HttpRequest request) {
    ContactInput input = ContactInput.parse(request.jsonMap());
    Contact contact = contacts().create(input).await();
    request.metrics().count(Metric.CONTACTS_CREATED);
    // A new contact is in no segment yet: segments are evaluated after it is written.
    return HttpResponse.json(201, JsonViews.contact(contact).put("segments", new JsonArray()));
  }

  /** The contact and, here only (lists and writes answer without it), its consent history, newest first. */
  private HttpResponse getContact(HttpRequest request) {
    UUID id = request.uuidPathParameter("contactId", "contact");
    ContactService.ContactWithConsentHistory found = contacts().findWithConsentHistory(id).await();
    if (found == null) {
      throw new NotFound("No contact with id " + id + ".");
    }
    JsonArray history = new JsonArray();
    found.consentHistory().forEach(change -> history.add(JsonViews.consentChange(change)));
    return HttpResponse.json(200, withSegments(found.contact()).put("consentHistory", history));
  }

  /**
   * The contact with the segments it is in ({@code segments: [{id, name}]}): the answers about one contact and the
   * lookup by ids (which answers each as GET does) show them; lists and searches do not (a join per row).
   */
  private JsonObject withSegments(Contact contact) {
    return withSegments(contact, segmentsOf(List.of(contact.id())).get(contact.id()));
  }

  private static JsonObject withSegments(Contact contact, List<SegmentStore.Membership> memberships) {
    JsonArray segments = new JsonArray();
    memberships.forEach(s -> segments.add(new JsonObject().put("id", s.id().toString()).put("name", s.name())));
    return JsonViews.contact(contact).put("segments", segments);
  }

  private Map<UUID, List<SegmentStore.Membership>> segmentsOf(List<UUID> contactIds) {
    return contactIds.isEmpty() ? Map.of()
        : new SegmentService(database(), java.time.Clock.systemUTC()).segmentsOf(contactIds).await();
  }

  /**
   * {@code ?ids=}: the contacts of those ids that exist, in their order, on one page. {@code ?email=}: the
   * contacts with that normalized email (normally one). Else every contact, newest first,
   * cursor-paged ({@code limit}, {@code after}), or those matching {@code q}, or of account {@code accountId}.
   */
  private HttpResponse findContacts(HttpRequest request) {
    IdList ids = IdList.parse(request.queryParameter("ids"));
    if (ids != null) {
      refuseBeside(request, IDS_ALONE, "email", "q", "after", "accountId", "limit");
      List<Contact> found = contacts().findAll(ids.ids()).await();
      Map<UUID, List<SegmentStore.Membership>> segments = segmentsOf(found.stream().map(Contact::id).toList());
      return HttpResponse.json(200, JsonViews.page(found, c -> withSegments(c, segments.get(c.id())), null));
    }
    String email = request.queryParameter("email");
    if (email != null) {
      if (email.isBlank()) {
        throw new InvalidInput("email", "the email address to look up (leave it out to browse or search with q)");
      }
      refuseBeside(request, "email looks up one address; leave it out to browse or search", "q", "after",
          "accountId");
      return HttpResponse.json(200, JsonViews.page(contacts().findByEmail(email).await(), JsonViews::contact, null));
    }
    UUID account = uuidQuery(request, "accountId", "an account id (a UUID)");
    SearchQuery search = SearchQuery.parse(request.queryParameter("q"));
    int limit = Paging.limit(request);
    Paging.Cursor after = Paging.after(request);
    ContactStore.Page<Contact> page = contacts().list(search, account, after == null ? null : after.created(),
        after == null ? null : after.id(), limit).await();
    Contact last = page.items().isEmpty() ? null : page.items().get(page.items().size() - 1);
    return HttpResponse.json(200, JsonViews.page(page.items(), JsonViews::contact,
        page.more() ? Paging.next(last.createdAt(), last.id()) : null));
  }

  /**
   * {@code ?ids=}: the accounts of those ids that exist, in their order, on one page. Else every account, newest
   * first, cursor-paged ({@code limit}, {@code after}), or those matching {@code q}.
   */
  private HttpResponse listAccounts(HttpRequest request) {
    IdList ids = IdList.parse(request.queryParameter("ids"));
    if (ids != null) {
      refuseBeside(request, IDS_ALONE, "q", "after", "limit");
      return HttpResponse.json(200, JsonViews.page(contacts().findAccounts(ids.ids()).await(), JsonViews::account,
          null));
    }
    SearchQuery search = SearchQuery.parse(request.queryParameter("q"));
    int limit = Paging.limit(request);
    Paging.Cursor after = Paging.after(request);
    ContactStore.Page<Account> page = contacts().listAccounts(search, after == null ? null : after.created(),
        after == null ? null : after.id(), limit).await();
    Account last = page.items().isEmpty() ? null : page.items().get(page.items().size() - 1);
    return HttpResponse.json(200, JsonViews.page(page.items(), JsonViews::account,
        page.more() ? Paging.next(last.createdAt(), last.id()) : null));
  }

  private HttpResponse patchContact(HttpRequest request) {
    UUID id = request.uuidPathParameter("contactId", "contact");
    ContactPatch patch = ContactPatch.parse(request.jsonMap());
    Contact patched = contacts().patch(id, patch).await();
    scoringNudge.get().send("contact-edited"); // a patch marks the contact, committed by now
    return HttpResponse.json(200, withSegments(patched));
  }

  private HttpResponse createAccount(HttpRequest request) {
    AccountDetails details = AccountDetails.parse(request.jsonMap());
    Account account = contacts().createAccount(details).await();
    return HttpResponse.json(201, JsonViews.account(account));
  }

  private HttpResponse getAccount(HttpRequest request) {
    UUID id = request.uuidPathParameter("accountId", "account");
    Account account = contacts().findAccount(id).await();
    if (account == null) {
      throw new NotFound("No account with id " + id + ".");
    }
    return HttpResponse.json(200, JsonViews.account(account));
  }

  private HttpResponse createLead(HttpRequest request) {
    Map<String, Object> body = request.jsonMap();
    NewLeadInput input = NewLeadInput.parse(withoutActor(body));
    LeadWithTimeline lead = leads().create(input, request.actor(body)).await();
    if (lead.lead().contactId() != null || lead.lead().accountId() != null) {
      scoringNudge.get().send("lead-created"); // marked what the lead is scored from
    }
    request.metrics().count(Metric.LEADS_CREATED);
    return leadResponse(201, lead);
  }

  private HttpResponse getLead(HttpRequest request) {
    return leadResponse(200, leads().get(request.uuidPathParameter("leadId", "lead")).await());
  }

  private HttpResponse patchLead(HttpRequest request) {
    UUID id = request.uuidPathParameter("leadId", "lead");
    Map<String, Object> body = request.jsonMap();
    LeadPatch patch = LeadPatch.parse(withoutActor(body));
    LeadWithTimeline patched = leads().patch(id, patch, request.actor(body)).await();
    if (patch.changesContact() || patch.changesAccount()) {
      // Relinked (or named its links again): the lead is rescored from them; a spare nudge costs one empty pass.
      scoringNudge.get().send("lead-relinked");
    }
    segmentNudge.get().send("lead-edited"); // the edit marked the lead's contact for segments
    return leadResponse(200, patched);
  }

  /**
   * {@code {"action": ..., "ownerId"?, "stage"?, "reason"?, "actor"?}}; the stage actions
   * ({@link StageAction}) take their own members.
   */
  private HttpResponse process(HttpRequest request) {
    UUID id = request.uuidPathParameter("leadId", "lead");
    Map<String, Object> body = request.jsonMap();
    if (StageAction.isStageAction(body.get("action"))) {
      return stageAction(request, id, body);
    }
    ProcessRequest processRequest = ProcessRequest.parse(body);
    // The route is open to every role; the table decides the action (before anything is read or written).
    Permissions.requireAction(processRequest.action().wireName(), request.caller());
    LeadService.Acted acted = processRequest.action() == ProcessAction.ASSIGN
        ? leads().assign(id, processRequest, request.actor(body), salesOwner(processRequest.ownerId())).await()
        : leads().actCounting(id, processRequest, request.actor(body), callerUser(request)).await();
    if (!acted.events().isEmpty()) {
      nudge.get().send("lead-process");
      segmentNudge.get().send("lead-process"); // the change marked the lead's contact for segments
    }
    if (acted.events().contains(EventTypes.SALES_READY)) {
      request.metrics().count(Metric.LEADS_BECAME_SALES_READY);
    }
    return leadResponse(200, acted.lead());
  }

  /** complete-stage, set-fields or switch-process: permitted by the table like every action, then applied. */
  private HttpResponse stageAction(HttpRequest request, UUID id, Map<String, Object> body) {
    StageAction action = StageAction.parse(body);
    Permissions.requireAction(action.name(), request.caller());
    String actor = request.actor(body);
    LeadService.Acted acted = switch (action.name()) {
      case StageAction.COMPLETE_STAGE -> leads().completeStage(id, action.reason(), actor).await();
      case StageAction.SWITCH_PROCESS -> leads().switchProcess(id, action.processId(), action.reason(), actor).await();
      default -> new LeadService.Acted(leads().setFields(id, action.stage(), action.fields(), actor).await(), List.of());
    };
    if (!acted.events().isEmpty()) {
      nudge.get().send("lead-process");
      segmentNudge.get().send("lead-process"); // the change marked the lead's contact for segments
    }
    if (acted.events().contains(EventTypes.SALES_READY)) {
      request.metrics().count(Metric.LEADS_BECAME_SALES_READY);
    }
    return leadResponse(200, acted.lead());
  }

  /**
   * {@code {kind, outcome?, note?, followUpAt?, actor?}} → 201 {@code {id, leadId, kind, outcome, note, followUpAt,
   * actor, at, lead}}: the activity, and the lead as {@code GET /v1/leads/{id}} shows it now. The caller (their
   * user id) is whom a follow-up is for.
   */
  private HttpResponse logActivity(HttpRequest request) {
    UUID id = request.uuidPathParameter("leadId", "lead");
    Map<String, Object> body = request.jsonMap();
    Activity activity = Activity.parse(withoutActor(body), Instant.now());
    LeadService.LoggedActivity logged = leads().logActivity(id, activity, callerUser(request), request.actor(body)).await();
    LeadWithTimeline lead = logged.lead();
    return HttpResponse.json(201, JsonViews.activity(logged.activity()).put("leadId", id.toString())
        .put("lead", JsonViews.lead(lead.lead(), lead.timeline(), lead.scores())));
  }

  /** The roles a lead's assigned owner must hold one of. */
  private static final List<String> OWNER_ROLES = List.of("sales", "sales_manager");

  /**
   * The user {@code ownerId} names, when they may own a sales lead: an existing, enabled user holding the
   * sales or sales manager role. 422 otherwise, with one error per fault.
   */
  private Lead.Owner salesOwner(String ownerId) {
    UUID id = null;
    try {
      id = ownerId == null ? null : UUID.fromString(ownerId);
    } catch (IllegalArgumentException e) {
      // Not a user id: answered below as no such user.
    }
    User user = id == null ? null : users().find(id).await();
    List<FieldError> faults = new ArrayList<>();
    if (ownerId == null) {
      faults.add(new FieldError("ownerId", "required: the id of the salesperson to assign (GET /v1/users)"));
    } else if (user == null) {
      faults.add(new FieldError("ownerId", "no user with id " + ownerId));
    } else {
      if (user.disabledAt() != null) {
        faults.add(new FieldError("ownerId", "the user " + user.name() + " is disabled"));
      }
      if (user.roles().stream().noneMatch(OWNER_ROLES::contains)) {
        faults.add(new FieldError("ownerId", "the user " + user.name() + " holds neither the sales nor the sales_manager role"));
      }
    }
    if (!faults.isEmpty()) {
      throw new Problem(422, "invalid-owner", "The lead cannot be assigned to this user",
          faults.size() == 1 ? faults.get(0).message() : faults.size() + " faults, the first: " + faults.get(0).message(),
          faults);
    }
    return new Lead.Owner(user.id(), user.name());
  }

  /** The caller's user id, or null when their token's subject is no user id (then accepting records no owner). */
  private static UUID callerUser(HttpRequest request) {
    String id = request.caller().id();
    try {
      return id == null ? null : UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The {@code sort} values of {@code GET /v1/leads}: each a {@link LeadStore.Sort}. {@code created} (the default)
   * is the oldest first, as before there was a choice.
   */
  private static final Map<String, LeadStore.Sort> LEAD_SORTS = Map.of(
      "created", LeadStore.Sort.CREATED, "newest", LeadStore.Sort.NEWEST,
      "score", LeadStore.Sort.SCORE, "grade", LeadStore.Sort.GRADE, "due", LeadStore.Sort.DUE);

  private static final String LEAD_SORT_NAMES = "created (oldest first, the default), newest (newest first), "
      + "score (best score first), grade (best grade first, in the model's grade order), "
      + "due (follow-ups first, soonest first; the default of view=due)";

  /**
   * Why a lookup by ids takes no other parameter: it answers every record asked for on one page, so a search,
   * a cursor or a page size beside it would mean nothing.
   */
  private static final String IDS_ALONE = "ids looks up the records it names, all on one page; leave this out, "
      + "or leave out ids to browse or search";

  /** 400 naming the first of {@code others} that was sent, with {@code why}. */
  private static void refuseBeside(HttpRequest request, String why, String... others) {
    for (String other : others) {
      if (request.queryParameter(other) != null) {
        throw new InvalidInput(other, why);
      }
    }
  }

  /** Query parameter {@code name} as a UUID, null when absent; 400 naming it when it is not one. */
  private static UUID uuidQuery(HttpRequest request, String name, String what) {
    String value = request.queryParameter(name);
    return value == null ? null : IdList.uuid(value, name, what);
  }

  /** {@code ?view=&processId=&stage=&grade=&accountId=&contactId=&q=&sort=created|newest|score|grade|due&limit=&after=}. */
  private HttpResponse listLeads(HttpRequest request) {
    String viewName = request.queryParameter("view");
    LeadStore.View view;
    try {
      view = viewName == null ? LeadStore.View.ALL : LeadStore.View.valueOf(viewName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInput("view", "one of: telemarketing, sales, mine, unassigned, my_calls, due, all");
    }
    UUID caller = view.byCaller() ? callerUser(request) : null;
    if (view.byCaller() && caller == null) {
      throw new InvalidInput("view", viewName + " lists the caller's own leads; this request names no user");
    }
    String sortName = request.queryParameter("sort");
    LeadStore.Sort sort = sortName != null ? LEAD_SORTS.get(sortName)
        : view == LeadStore.View.DUE ? LeadStore.Sort.DUE : LeadStore.Sort.CREATED;
    if (sort == null) {
      throw new InvalidInput("sort", "one of: " + LEAD_SORT_NAMES);
    }
    String grade = request.queryParameter("grade");
    if (grade != null && (grade.isBlank() || grade.length() > 50)) {
      throw new InvalidInput("grade", "a grade name of a scoring model (1 to 50 characters)");
    }
    UUID account = uuidQuery(request, "accountId", "an account id (a UUID)");
    UUID contact = uuidQuery(request, "contactId", "a contact id (a UUID)");
    String process = request.queryParameter("processId");
    if (process != null && (process.isBlank() || process.length() > NewLeadInput.MAX_PROCESS_ID_LENGTH)) {
      throw new InvalidInput("processId", "a process id (GET /v1/processes), 1 to "
          + NewLeadInput.MAX_PROCESS_ID_LENGTH + " characters");
    }
    SearchQuery search = SearchQuery.parse(request.queryParameter("q"));
    int limit = Paging.limit(request);
    LeadService.ScoredPage scored = leads().list(new LeadStore.ListQuery(view, request.queryParameter("stage"), grade,
        sort, search, leadCursor(request, sort), limit, caller, account, contact, process)).await();
    LeadStore.Page page = scored.page();
    String next = page.more() ? leadCursor(sort, page.lastPosition()) : null;
    return HttpResponse.json(200, JsonViews.page(page.items(),
        lead -> JsonViews.lead(lead, scored.scores().getOrDefault(lead.id(), List.of())), next));
  }

  /** The position {@code after} names in {@code sort}, or null on the first page; 400 for another order's cursor. */
  private static LeadStore.Position leadCursor(HttpRequest request, LeadStore.Sort sort) {
    try {
      return switch (sort) {
        case CREATED -> {
          Paging.Cursor c = Paging.after(request);
          yield c == null ? null : new LeadStore.Position(c.created(), 0, 0, c.id(), null);
        }
        case SCORE -> {
          Paging.ScoreCursor c = Paging.afterScore(request);
          yield c == null ? null : new LeadStore.Position(null, c.score(), 0, c.id(), null);
        }
        case NEWEST -> {
          String[] p = Paging.afterTagged(request, "n", 2);
          yield p == null ? null : new LeadStore.Position(cursorTime(p[0]), 0, 0, UUID.fromString(p[1]), null);
        }
        case GRADE -> {
          String[] p = Paging.afterTagged(request, "g", 3);
          yield p == null ? null
              : new LeadStore.Position(null, Integer.parseInt(p[1]), Integer.parseInt(p[0]), UUID.fromString(p[2]), null);
        }
        case DUE -> {
          String[] p = Paging.afterTagged(request, "d", 2);
          yield p == null ? null
              : new LeadStore.Position(null, 0, 0, UUID.fromString(p[1]), p[0].isEmpty() ? null : cursorTime(p[0]));
        }
      };
    } catch (java.time.DateTimeException | IllegalArgumentException e) {
      throw new InvalidInput("after", "not a cursor from a previous page's \"next\"");
    }
  }

  /** A time from a cursor; the database's range is narrower than Instant's, so one beyond it is refused too. */
  private static Instant cursorTime(String text) {
    Instant time = Instant.parse(text);
    time.atOffset(java.time.ZoneOffset.UTC);
    return time;
  }

  /** The {@code next} cursor after {@code last} in {@code sort}: its sort keys and id. */
  private static String leadCursor(LeadStore.Sort sort, LeadStore.Position last) {
    return switch (sort) {
      case CREATED -> Paging.next(last.created(), last.id());
      case SCORE -> Paging.next(last.score(), last.id());
      case NEWEST -> Paging.nextTagged("n", last.created().toString(), last.id().toString());
      case GRADE -> Paging.nextTagged("g", Integer.toString(last.gradeRank()), Integer.toString(last.score()),
          last.id().toString());
      case DUE -> Paging.nextTagged("d", last.followUp() == null ? "" : last.followUp().toString(),
          last.id().toString());
    };
  }

  private ContactService contacts() {
    return new ContactService(database());
  }

  private UserService users() {
    return new UserService(database());
  }

  private LeadService leads() {
    return new LeadService(database());
  }

  private static HttpResponse leadResponse(int status, LeadWithTimeline lead) {
    return HttpResponse.json(status, JsonViews.lead(lead.lead(), lead.timeline(), lead.scores()));
  }

  /** The body without {@code actor}, which {@link HttpRequest#actor} reads: the domain parsers reject unknown fields. */
  private static Map<String, Object> withoutActor(Map<String, Object> body) {
    Map<String, Object> rest = new java.util.LinkedHashMap<>(body);
    rest.remove("actor");
    return rest;
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
