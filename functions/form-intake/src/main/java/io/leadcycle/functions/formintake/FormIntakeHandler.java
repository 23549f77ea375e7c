package io.leadcycle.functions.formintake;

import io.leadcycle.store.IntakeReceiptStore;

import io.leadcycle.aws.AwsResources;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.domain.Erased;
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
import io.leadcycle.events.JsonViews;
import io.leadcycle.http.Paging;
import io.leadcycle.http.Problem;
import io.leadcycle.http.Route;
import io.leadcycle.http.StandardWebhooks;
import io.leadcycle.intake.IntakeResult;
import io.leadcycle.intake.IntakeService;
import io.leadcycle.intake.Sender;
import io.leadcycle.postgres.Database;
import io.leadcycle.platform.Failure;
import io.leadcycle.platform.FailureKind;
import io.leadcycle.runtime.JsonLog;
import io.leadcycle.runtime.Metric;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.store.IntakeReceiptStore.LoggedSubmission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Form intake: landing-page submissions and event registrations (signed webhooks), plus the forms and
 * matching strategies that configure it. Each route translates the request, calls a service (which owns
 * the transaction), and maps the result.
 *
 * <p>A submission that marked its contact for rescoring nudges score recalculation once its transaction
 * has committed ({@code SCORING_NUDGE_QUEUE_URL}; without it the schedule scores it).
 */
public final class FormIntakeHandler extends HttpFunction {

  private final Supplier<Database> database;

  private final Clock clock;
  private final Supplier<Nudge> scoringNudge;
  private final RecentForms recentForms = new RecentForms(RecentForms.TIME_TO_LIVE);

  /** The constructor Lambda calls: the database comes from the environment, on first use. */
  public FormIntakeHandler() {
    this.database = SharedDatabase.warmingUp();
    this.clock = Clock.systemUTC();
    this.scoringNudge = AwsResources.SCORING_NUDGE;
  }

  public FormIntakeHandler(Supplier<Database> database, Clock clock) {
    this(database, clock, Nudge.NONE);
  }

  public FormIntakeHandler(Supplier<Database> database, Clock clock, Nudge scoringNudge) {
    this.database = database;
    this.clock = clock;
    this.scoringNudge = () -> scoringNudge;
  }

  @Override
  protected List<Route> defineRoutes() {
    return List.of(
        new Route("GET", "/health", Access.PUBLIC, this::health),
        new Route("POST", "/v1/forms/{formId}/submissions", Access.PUBLIC,
            request -> submit(request, request.pathParameter("formId"), FormKind.MARKETING_PAGE)),
        new Route("OPTIONS", "/v1/forms/{formId}/submissions", Access.PUBLIC,
            request -> BrowserPosts.preflight(form(request.pathParameter("formId"), FormKind.MARKETING_PAGE), request)),
        new Route("POST", "/v1/events/{eventId}/registrations", Access.PUBLIC,
            request -> submit(request, request.pathParameter("eventId"), FormKind.EVENT)),
        new Route("OPTIONS", "/v1/events/{eventId}/registrations", Access.PUBLIC,
            request -> BrowserPosts.preflight(form(request.pathParameter("eventId"), FormKind.EVENT), request)),
        new Route("GET", "/v1/forms", Access.MANAGEMENT, this::listForms),
        new Route("PUT", "/v1/forms/{formId}", Access.MANAGEMENT, this::putForm),
        new Route("PATCH", "/v1/forms/{formId}", Access.MANAGEMENT, this::patchForm),
        new Route("GET", "/v1/forms/{formId}", Access.MANAGEMENT, this::getForm),
        new Route("GET", "/v1/forms/{formId}/submissions", Access.MANAGEMENT, this::listSubmissions),
        new Route("POST", "/v1/forms/{formId}/rotate-secret", Access.MANAGEMENT, this::rotateSecret),
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

  /**
   * A submission: the form's origin rules and signature first, then the honeypot, then the body. A
   * browser's form post is answered with a redirect to the thank-you page, refused or not. Each
   * submission counts once: accepted or replayed (by {@link #accept}), refused or failed (here).
   */
  private HttpResponse submit(HttpRequest request, String formId, FormKind kind) {
    try {
      return respond(request, formId, kind);
    } catch (RuntimeException e) {
      // What the platform answers: an unknown form (404), or a failure on our side (5xx).
      IntakeResult.countSubmission(request.metrics(), Failure.of(e).kind().isClientError()
          ? Metric.SUBMISSIONS_REFUSED : Metric.SUBMISSIONS_FAILED);
      throw e;
    }
  }

  private HttpResponse respond(HttpRequest request, String formId, FormKind kind) {
    Form form = form(formId, kind);
    boolean redirects = BrowserPosts.redirects(form, request);
    try {
      Accepted accepted = accept(request, form);
      IntakeResult result = accepted.result();
      HttpResponse answer = redirects ? BrowserPosts.redirect(form, null)
          // Signed: 201 when this delivery created a contact or lead; a replay or an update is 200.
          // (The text its receipt stored: encoded once.)
          : accepted.sender() == Sender.SIGNED
              ? HttpResponse.json(result.createdSomething() ? 201 : 200, result.encodedJson())
          // Anonymous: neither the body nor the status may tell what exists, so every first delivery is 201.
          : HttpResponse.json(result.replayed() ? 200 : 201, result.anonymousJson());
      return BrowserPosts.withCors(form, request, answer);
    } catch (RuntimeException e) {
      Failure failure = Failure.of(e);
      if (failure.kind() == FailureKind.BUG || failure.kind() == FailureKind.UNAVAILABLE) {
        throw e; // the platform logs it and answers 5xx
      }
      IntakeResult.countSubmission(request.metrics(), Metric.SUBMISSIONS_REFUSED);
      Problem problem = Problem.of(failure);
      return BrowserPosts.withCors(form, request,
          redirects ? BrowserPosts.redirect(form, problem) : HttpResponse.problem(problem));
    }
  }

  /** A submission taken in (or dropped as a bot's), and whether its sender signed it. */
  private record Accepted(IntakeResult result, Sender sender) {
  }

  private Accepted accept(HttpRequest request, Form form) {
    BrowserPosts.checkOrigin(form, request);
    // A server may sign its posts to an open form too: checked like any signature, and trusted like one.
    Sender sender = form.requireSignature() || request.header("webhook-signature") != null ? Sender.SIGNED
        : Sender.UNSIGNED;
    if (sender == Sender.SIGNED) {
      // The form row carries both secrets, so a rotated form costs no extra read here.
      StandardWebhooks.verify(form.signingSecretsAt(clock.instant()), request, clock.instant());
    }
    String deliveryId = request.header("webhook-id");
    if (deliveryId != null && deliveryId.length() > Submission.MAX_SUBMISSION_ID_LENGTH) {
      throw new InvalidInput("webhook-id", "longer than " + Submission.MAX_SUBMISSION_ID_LENGTH + " characters");
    }
    SubmissionBody body = SubmissionBody.read(request);
    IntakeService intake = new IntakeService(database());
    if (form.browser().honeypotFilled(body.fields())) {
      // Answered like an accepted submission that created nothing, so a bot learns nothing; nothing is written.
      JsonLog.info(request.requestId(), "honeypot filled: submission dropped", new JsonObject().put("formId", form.id()));
      IntakeResult.countSubmission(request.metrics(), Metric.SUBMISSIONS_REFUSED);
      return new Accepted(new IntakeResult(IntakeService.submissionKey(body.submissionIdText(), deliveryId), null,
          null, null, false, List.of()), sender);
    }
    String requestHash = body.requestHash(form);
    Submission submission;
    try {
      submission = body.parse(form);
    } catch (InvalidInput invalid) {
      // A retried delivery gets its first answer even when the form changed since and the body no longer
      // validates. The receipt is looked up only here, so first deliveries pay nothing for it.
      String key = body.submissionIdText() != null ? body.submissionIdText() : deliveryId;
      IntakeResult first = key == null ? null : intake.replay(form, key, requestHash).await();
      if (first != null) {
        first.countIn(request.metrics());
        return new Accepted(first, sender);
      }
      throw invalid;
    }
    IntakeResult result;
    try {
      result = intake.submit(form, submission, deliveryId, sender, requestHash).await();
    } catch (RuntimeException e) {
      if (sender == Sender.UNSIGNED && Failure.of(e).cause() instanceof Erased) {
        // Anonymous: answered like an accepted first delivery that created nothing, so that nobody can learn by
        // posting an address whether its person was erased. Nothing was written; the tombstone counted the refusal.
        IntakeResult.countSubmission(request.metrics(), Metric.SUBMISSIONS_REFUSED);
        return new Accepted(new IntakeResult(IntakeService.submissionKey(body.submissionIdText(), deliveryId), null,
            null, null, false, List.of()), sender);
      }
      throw e;
    }
    if (result.markedForRescoring()) {
      scoringNudge.get().send("form-intake"); // committed: the nudged run sees the mark
    }
    result.countIn(request.metrics());
    return new Accepted(result, sender);
  }

  /** The form with that id and kind; 404 otherwise. */
  private Form form(String formId, FormKind kind) {
    Form form = recentForms.get(formId, clock.instant(), () -> forms().find(formId).await());
    if (form == null || form.kind() != kind) {
      throw new NotFound("No " + kind.wireName().replace('_', ' ') + " with id " + formId + ".");
    }
    return form;
  }

  private HttpResponse putForm(HttpRequest request) {
    String formId = request.pathParameter("formId");
    FormDefinition definition = FormDefinition.parse(formId, request.jsonMap());
    FormService.Saved saved = forms().put(definition, StandardWebhooks.newSecret()).await();
    recentForms.forget(formId);
    JsonObject body = withWarnings(JsonViews.form(saved.form()), saved.form());
    if (saved.created()) {
      // The only time the secret leaves the database.
      body.put("signingSecret", saved.form().signingSecret());
    }
    return HttpResponse.json(saved.created() ? 201 : 200, body);
  }

  /**
   * No body: one that is sent is not read. → {@code {secret, previousSecretExpiresAt}}, the only time the
   * new secret leaves the database. This environment forgets its cached form at once; other warm ones
   * still hold the old secret for up to {@link RecentForms#TIME_TO_LIVE} — harmless, as the old one is
   * still accepted, but a sender signing with the new secret may be refused there for those seconds.
   */
  private HttpResponse rotateSecret(HttpRequest request) {
    String formId = request.pathParameter("formId");
    FormService.Rotated rotated = forms().rotateSecret(formId, StandardWebhooks.newSecret(), clock.instant()).await();
    recentForms.forget(formId);
    return HttpResponse.json(200, new JsonObject()
        .put("secret", rotated.secret())
        .put("previousSecretExpiresAt", rotated.previousSecretExpiresAt().toString()));
  }

  /** Changes the named settings and keeps the others ({@code null} resets one to its default). */
  private HttpResponse patchForm(HttpRequest request) {
    String formId = request.pathParameter("formId");
    Form form = forms().patch(formId, request.jsonMap()).await();
    recentForms.forget(formId);
    return HttpResponse.json(200, withWarnings(JsonViews.form(form), form));
  }

  /** What the user should know about the saved settings, as the suite warned: only when there is something. */
  private static JsonObject withWarnings(JsonObject body, Form form) {
    List<String> warnings = form.definition().warnings();
    return warnings.isEmpty() ? body : body.put("warnings", new JsonArray(List.copyOf(warnings)));
  }

  /** {@code ?limit=&after=}: the form's submission log, newest first. */
  private HttpResponse listSubmissions(HttpRequest request) {
    String formId = request.pathParameter("formId");
    int limit = Paging.limit(request);
    Paging.KeyCursor after = Paging.afterTimeAndKey(request);
    List<LoggedSubmission> page = forms().submissions(formId, after == null ? null : after.at(),
        after == null ? null : after.key(), limit + 1).await();
    boolean more = page.size() > limit;
    List<LoggedSubmission> items = more ? page.subList(0, limit) : page;
    LoggedSubmission last = items.isEmpty() ? null : items.get(items.size() - 1);
    return HttpResponse.json(200, JsonViews.page(items, FormIntakeHandler::logEntry,
        more ? Paging.next(last.receivedAt(), last.submissionKey()) : null));
  }

  /** One submission of the log: as received, when, under which key, and what it did. */
  private static JsonObject logEntry(LoggedSubmission s) {
    JsonObject received = s.received() == null ? new JsonObject() : s.received();
    JsonObject response = s.response();
    return new JsonObject()
        .put("submissionId", s.submissionKey())
        .put("receivedAt", s.receivedAt().toString())
        .put("submittedAt", received.getString("submittedAt"))
        .put("fields", received.getJsonObject("fields", new JsonObject()))
        .put("consent", received.getJsonObject("consent"))
        .put("outcome", new JsonObject()
            .put("contact", response.getJsonObject("contact"))
            .put("lead", response.getJsonObject("lead"))
            .put("interactionId", response.getString("interactionId"))
            .put("summary", s.outcome()))
        .put("warnings", response.getJsonArray("warnings", new JsonArray()));
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
    MatchingStrategy strategy = forms().createStrategy(definition).await();
    return HttpResponse.json(201, JsonViews.strategy(strategy));
  }

  private HttpResponse listStrategies(HttpRequest request) {
    List<MatchingStrategy> all = forms().strategies().await();
    return HttpResponse.json(200, JsonViews.page(all, JsonViews::strategy, null));
  }

  private FormService forms() {
    return new FormService(database());
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
