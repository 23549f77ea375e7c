package io.leadcycle.functions.formintake;

import io.leadcycle.domain.Contact;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.FormKind;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.StrategyDefinition;
import io.leadcycle.domain.Submission;
import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.http.JsonViews;
import io.leadcycle.http.Problem;
import io.leadcycle.http.Route;
import io.leadcycle.http.StandardWebhooks;
import io.leadcycle.intake.IntakeService;
import io.leadcycle.runtime.Database;
import io.leadcycle.runtime.LeadcycleRuntime;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.FormStore;
import io.leadcycle.store.MatchingStrategyStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Form intake: landing-page submissions and event registrations (signed webhooks), plus the forms,
 * matching strategies and contact look-ups that configure and explain it. Each route translates the
 * request, calls a store or the {@link IntakeService}, and maps the result.
 */
public final class FormIntakeHandler extends HttpFunction {

  private final Supplier<Database> database;
  private final Clock clock;
  private final FormStore forms = new FormStore();
  private final MatchingStrategyStore strategies = new MatchingStrategyStore();
  private final ContactStore contacts = new ContactStore();
  private final RecentForms recentForms = new RecentForms(RecentForms.TIME_TO_LIVE);

  /** The constructor Lambda calls: the database comes from the environment, on first use. */
  public FormIntakeHandler() {
    this(LeadcycleRuntime::database, Clock.systemUTC());
  }

  public FormIntakeHandler(Supplier<Database> database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  protected List<Route> defineRoutes() {
    return List.of(
        new Route("GET", "/health", Access.PUBLIC, this::health),
        new Route("POST", "/v1/forms/{formId}/submissions", Access.PUBLIC,
            request -> submit(request, request.pathParameter("formId"), FormKind.MARKETING_PAGE)),
        new Route("POST", "/v1/events/{eventId}/registrations", Access.PUBLIC,
            request -> submit(request, request.pathParameter("eventId"), FormKind.EVENT)),
        new Route("PUT", "/v1/forms/{formId}", Access.MANAGEMENT, this::putForm),
        new Route("GET", "/v1/forms/{formId}", Access.MANAGEMENT, this::getForm),
        new Route("POST", "/v1/matching-strategies", Access.MANAGEMENT, this::createStrategy),
        new Route("GET", "/v1/matching-strategies", Access.MANAGEMENT, this::listStrategies),
        new Route("GET", "/v1/contacts/{contactId}", Access.MANAGEMENT, this::getContact),
        new Route("GET", "/v1/contacts", Access.MANAGEMENT, this::findContacts));
  }

  private HttpResponse health(HttpRequest request) {
    try {
      database.get().read(conn -> conn.query("SELECT 1").execute()).await(5, TimeUnit.SECONDS);
      return HttpResponse.json(200, new JsonObject().put("status", "ok").put("database", "ok"));
    } catch (Exception e) {
      return HttpResponse.json(503, new JsonObject().put("status", "unavailable").put("database", "down"));
    }
  }

  private HttpResponse submit(HttpRequest request, String formId, FormKind kind) {
    Form form = recentForms.get(formId, clock.instant(), () -> await(database.get().read(conn -> forms.find(conn, formId))));
    if (form == null || form.kind() != kind) {
      throw Problem.notFound("No " + kind.wireName().replace('_', ' ') + " with id " + formId + ".");
    }
    if (form.requireSignature()) {
      StandardWebhooks.verify(form.signingSecret(), request, clock.instant());
    }
    Submission submission = parseSubmission(request, form);
    String deliveryId = request.header("webhook-id");
    if (deliveryId != null && deliveryId.length() > Submission.MAX_SUBMISSION_ID_LENGTH) {
      throw Problem.invalid("webhook-id", "longer than " + Submission.MAX_SUBMISSION_ID_LENGTH + " characters");
    }
    IntakeService.Answer answer = await(new IntakeService(database.get()).submit(form, submission, deliveryId));
    return HttpResponse.json(answer.status(), answer.body());
  }

  /** JSON {@code {submissionId?, submittedAt?, fields: {...}, consent?}} or form fields as top-level keys. */
  private static Submission parseSubmission(HttpRequest request, Form form) {
    if (request.isFormUrlEncoded()) {
      Map<String, String> fields = new HashMap<>(request.formBody());
      String submissionId = fields.remove("submissionId");
      String submittedAt = fields.remove("submittedAt");
      return Submission.parse(submissionId, submittedAt, fields, null, form);
    }
    if (!request.isJson()) {
      throw Problem.unsupportedMediaType(
          "Send application/json or application/x-www-form-urlencoded (got " + request.describeMediaType() + ").");
    }
    Map<String, Object> body = request.jsonMap();
    Object fields = body.get("fields");
    if (fields != null && !(fields instanceof Map)) {
      throw Problem.invalid("fields", "must be an object of submitted fields");
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> fieldMap = (Map<String, ?>) fields;
    return Submission.parse(body.get("submissionId"), body.get("submittedAt"), fieldMap, body.get("consent"), form);
  }

  private HttpResponse putForm(HttpRequest request) {
    String formId = request.pathParameter("formId");
    FormDefinition definition = FormDefinition.parse(formId, request.jsonMap());
    Database db = database.get();
    MatchingStrategy contactStrategy = await(db.read(conn -> strategies.find(conn, definition.contactStrategyId())));
    MatchingStrategy leadStrategy = await(db.read(conn -> strategies.find(conn, definition.leadStrategyId())));
    definition.checkStrategies(contactStrategy, leadStrategy);
    String secret = StandardWebhooks.newSecret();
    boolean created = await(db.inTransaction(conn -> forms.put(conn, definition, secret)));
    recentForms.forget(formId);
    Form form = await(db.read(conn -> forms.find(conn, formId)));
    JsonObject body = JsonViews.form(form);
    if (created) {
      // The only time the secret leaves the database.
      body.put("signingSecret", form.signingSecret());
    }
    return HttpResponse.json(created ? 201 : 200, body);
  }

  private HttpResponse getForm(HttpRequest request) {
    String formId = request.pathParameter("formId");
    Form form = await(database.get().read(conn -> forms.find(conn, formId)));
    if (form == null) {
      throw Problem.notFound("No form with id " + formId + ".");
    }
    return HttpResponse.json(200, JsonViews.form(form));
  }

  private HttpResponse createStrategy(HttpRequest request) {
    StrategyDefinition definition = StrategyDefinition.parse(request.jsonMap());
    MatchingStrategy strategy = await(database.get().inTransaction(conn -> strategies.create(conn, definition)));
    return HttpResponse.json(201, JsonViews.strategy(strategy));
  }

  private HttpResponse listStrategies(HttpRequest request) {
    List<MatchingStrategy> all = await(database.get().read(strategies::list));
    return HttpResponse.json(200, JsonViews.page(all, JsonViews::strategy, null));
  }

  private HttpResponse getContact(HttpRequest request) {
    String id = request.pathParameter("contactId");
    UUID contactId = parseUuid(id);
    Contact contact = contactId == null ? null : await(database.get().read(conn -> contacts.findById(conn, contactId)));
    if (contact == null) {
      throw Problem.notFound("No contact with id " + id + ".");
    }
    return HttpResponse.json(200, JsonViews.contact(contact));
  }

  private HttpResponse findContacts(HttpRequest request) {
    String email = request.queryParameter("email");
    if (email == null || email.isBlank()) {
      throw Problem.invalid("email", "required: the email address to look up");
    }
    List<Contact> found = await(database.get().read(conn -> contacts.findByEmail(conn, email)));
    return HttpResponse.json(200, JsonViews.page(found, JsonViews::contact, null));
  }

  private static UUID parseUuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Handlers run on the Lambda (or local worker) thread, never on an event loop: blocking here is fine. */
  private static <T> T await(Future<T> future) {
    return future.await();
  }
}
