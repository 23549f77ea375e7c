package io.leadcycle.functions.formintake;

import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.FormKind;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.StrategyDefinition;
import io.leadcycle.domain.Submission;
import io.leadcycle.forms.FormService;
import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.http.JsonViews;
import io.leadcycle.http.Paging;
import io.leadcycle.http.Problem;
import io.leadcycle.http.Route;
import io.leadcycle.http.StandardWebhooks;
import io.leadcycle.intake.IntakeResult;
import io.leadcycle.intake.IntakeService;
import io.leadcycle.runtime.Database;
import io.leadcycle.store.MatchingStrategyStore;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Form intake: landing-page submissions and event registrations (signed webhooks), plus the forms and
 * matching strategies that configure it. Each route translates the request, calls a service or store,
 * and maps the result.
 */
public final class FormIntakeHandler extends HttpFunction {

  private final Clock clock;
  private final MatchingStrategyStore strategies = new MatchingStrategyStore();
  private final RecentForms recentForms = new RecentForms(RecentForms.TIME_TO_LIVE);

  /** The constructor Lambda calls: the database comes from the environment, on first use. */
  public FormIntakeHandler() {
    this.clock = Clock.systemUTC();
  }

  public FormIntakeHandler(Supplier<Database> database, Clock clock) {
    super(database);
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
        new Route("GET", "/v1/forms", Access.MANAGEMENT, this::listForms),
        new Route("PUT", "/v1/forms/{formId}", Access.MANAGEMENT, this::putForm),
        new Route("GET", "/v1/forms/{formId}", Access.MANAGEMENT, this::getForm),
        new Route("POST", "/v1/matching-strategies", Access.MANAGEMENT, this::createStrategy),
        new Route("GET", "/v1/matching-strategies", Access.MANAGEMENT, this::listStrategies));
  }

  private HttpResponse health(HttpRequest request) {
    try {
      database().read(conn -> conn.query("SELECT 1").execute()).await(5, TimeUnit.SECONDS);
      return HttpResponse.json(200, new JsonObject().put("status", "ok").put("database", "ok"));
    } catch (Exception e) {
      return HttpResponse.problem(Problem.unavailable("The database did not answer within 5 seconds.")
          .with("database", "down"));
    }
  }

  private HttpResponse submit(HttpRequest request, String formId, FormKind kind) {
    Form form = recentForms.get(formId, clock.instant(), () -> forms().find(formId).await());
    if (form == null || form.kind() != kind) {
      throw new NotFound("No " + kind.wireName().replace('_', ' ') + " with id " + formId + ".");
    }
    if (form.requireSignature()) {
      StandardWebhooks.verify(form.signingSecret(), request, clock.instant());
    }
    Submission submission = parseSubmission(request, form);
    String deliveryId = request.header("webhook-id");
    if (deliveryId != null && deliveryId.length() > Submission.MAX_SUBMISSION_ID_LENGTH) {
      throw new InvalidInput("webhook-id", "longer than " + Submission.MAX_SUBMISSION_ID_LENGTH + " characters");
    }
    IntakeResult result = new IntakeService(database()).submit(form, submission, deliveryId).await();
    // 201 when this delivery created a contact or lead; a replay or an update is 200.
    return HttpResponse.json(result.createdSomething() ? 201 : 200, result.toJson());
  }

  /** JSON {@code {submissionId?, submittedAt?, fields: {...}, consent?}} or form fields as top-level keys. */
  private static Submission parseSubmission(HttpRequest request, Form form) {
    request.requireJsonOrForm();
    if (request.isFormUrlEncoded()) {
      Map<String, String> fields = new HashMap<>(request.formBody());
      String submissionId = fields.remove("submissionId");
      String submittedAt = fields.remove("submittedAt");
      return Submission.parse(submissionId, submittedAt, fields, null, form);
    }
    Map<String, Object> body = request.jsonMap();
    Object fields = body.get("fields");
    if (fields != null && !(fields instanceof Map)) {
      throw new InvalidInput("fields", "must be an object of submitted fields");
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> fieldMap = (Map<String, ?>) fields;
    return Submission.parse(body.get("submissionId"), body.get("submittedAt"), fieldMap, body.get("consent"), form);
  }

  private HttpResponse putForm(HttpRequest request) {
    String formId = request.pathParameter("formId");
    FormDefinition definition = FormDefinition.parse(formId, request.jsonMap());
    FormService.Saved saved = forms().put(definition, StandardWebhooks.newSecret()).await();
    recentForms.forget(formId);
    JsonObject body = JsonViews.form(saved.form());
    if (saved.created()) {
      // The only time the secret leaves the database.
      body.put("signingSecret", saved.form().signingSecret());
    }
    return HttpResponse.json(saved.created() ? 201 : 200, body);
  }

  private HttpResponse getForm(HttpRequest request) {
    String formId = request.pathParameter("formId");
    Form form = forms().find(formId).await();
    if (form == null) {
      throw new NotFound("No form with id " + formId + ".");
    }
    return HttpResponse.json(200, JsonViews.form(form));
  }

  /** {@code ?limit=&after=}: forms in id order. */
  private HttpResponse listForms(HttpRequest request) {
    int limit = Paging.limit(request);
    List<Form> page = forms().list(Paging.afterKey(request), limit + 1).await();
    boolean more = page.size() > limit;
    List<Form> items = more ? page.subList(0, limit) : page;
    return HttpResponse.json(200, JsonViews.page(items, JsonViews::form,
        more ? Paging.next(items.get(items.size() - 1).id()) : null));
  }

  private HttpResponse createStrategy(HttpRequest request) {
    StrategyDefinition definition = StrategyDefinition.parse(request.jsonMap());
    MatchingStrategy strategy = database().inTransaction(conn -> strategies.create(conn, definition)).await();
    return HttpResponse.json(201, JsonViews.strategy(strategy));
  }

  private HttpResponse listStrategies(HttpRequest request) {
    List<MatchingStrategy> all = database().read(strategies::list).await();
    return HttpResponse.json(200, JsonViews.page(all, JsonViews::strategy, null));
  }

  private FormService forms() {
    return new FormService(database());
  }
}
