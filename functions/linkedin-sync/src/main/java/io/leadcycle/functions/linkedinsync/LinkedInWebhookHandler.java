package io.leadcycle.functions.linkedinsync;

import io.leadcycle.runtime.Lazy;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.linkedin.LinkedInFormMapping;
import io.leadcycle.linkedin.LinkedInLead;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.events.JsonViews;
import io.leadcycle.linkedin.LinkedInSignatures;
import io.leadcycle.linkedin.LinkedInViews;
import io.leadcycle.http.Paging;
import io.leadcycle.http.Problem;
import io.leadcycle.http.Route;
import io.leadcycle.intake.IntakeResult;
import io.leadcycle.linkedin.LinkedInApi;
import io.leadcycle.linkedin.LinkedInSettings;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.linkedin.LinkedInSync;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.platform.Failure;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.Metric;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * LinkedIn Lead Gen sync over HTTP: LinkedIn's lead notification webhook (the validation challenge and
 * signed CREATED / DELETED notifications; public, authenticated by LinkedIn's signature) and the
 * management routes — form mappings, a proposal read from LinkedIn, the sync status and its reset. The
 * scheduled poll is {@link LinkedInPollHandler}, in the same module.
 */
public final class LinkedInWebhookHandler extends HttpFunction {

  private final Supplier<Database> database;

  static final int MAX_CHALLENGE_LENGTH = 200;

  private final Clock clock;
  private final LinkedInSettings settings;
  /** Responses taken in mark their contacts; scoring is nudged once they committed (docs/scoring.md). */
  private Supplier<Nudge> scoringNudge;
  private final LinkedInApi.Backoff backoff;
  private final Lazy<LinkedInApi> api = Lazy.of(this::newApi);

  /** The constructor Lambda calls: settings from the environment; the database and secrets on first use. */
  public LinkedInWebhookHandler() {
    this.database = SharedDatabase.warmingUp();
    this.clock = Clock.systemUTC();
    this.scoringNudge = AwsResources.SCORING_NUDGE;
    this.settings = LinkedInSettings.fromEnvironment(System.getenv());
    this.backoff = LinkedInApi.Backoff.WEBHOOK;
  }

  LinkedInWebhookHandler(Supplier<Database> database, Clock clock, LinkedInSettings settings,
      LinkedInApi.Backoff backoff) {
    this.database = database;
    this.clock = clock;
    this.scoringNudge = () -> Nudge.NONE;
    this.settings = settings;
    this.backoff = backoff;
  }

  /** Nudges {@code nudge} where Lambda would nudge {@code SCORING_NUDGE_QUEUE_URL}'s queue (tests). */
  LinkedInWebhookHandler nudgingScoring(Nudge nudge) {
    this.scoringNudge = () -> nudge;
    return this;
  }

  @Override
  protected List<Route> defineRoutes() {
    return List.of(
        new Route("GET", "/v1/linkedin/webhook", Access.PUBLIC, this::challenge),
        new Route("POST", "/v1/linkedin/webhook", Access.PUBLIC, this::notification),
        new Route("GET", "/v1/linkedin/forms", Access.MANAGEMENT, this::listMappings),
        new Route("PUT", "/v1/linkedin/forms/{formUrn}", Access.MANAGEMENT, this::putMapping),
        new Route("GET", "/v1/linkedin/forms/{formUrn}", Access.MANAGEMENT, this::getMapping),
        new Route("POST", "/v1/linkedin/forms/{formUrn}/propose", Access.MANAGEMENT, this::propose),
        new Route("GET", "/v1/linkedin/sync-status", Access.MANAGEMENT, this::status),
        new Route("POST", "/v1/linkedin/sync-status/reset", Access.MANAGEMENT, this::reset));
  }

  /**
   * LinkedIn's validation challenge, repeated every two hours and answered within 3 s: the client secret
   * and an HMAC, no database.
   */
  private HttpResponse challenge(HttpRequest request) {
    String code = request.queryParameter("challengeCode");
    if (code == null || code.isBlank()) {
      throw new InvalidInput("challengeCode", "required: the code LinkedIn's validation sends");
    }
    if (code.length() > MAX_CHALLENGE_LENGTH) {
      throw new InvalidInput("challengeCode", "longer than " + MAX_CHALLENGE_LENGTH + " characters");
    }
    String secret = clientSecret();
    return HttpResponse.json(200, new JsonObject().put("challengeCode", code)
        .put("challengeResponse", LinkedInSignatures.challengeResponse(secret, code)));
  }

  /** A lead notification: the signature first, then CREATED takes the lead in and DELETED removes it. */
  private HttpResponse notification(HttpRequest request) {
    LinkedInSignatures.verify(clientSecret(), request.header("x-li-signature"), request.body());
    Map<String, Object> body = request.jsonMap();
    Object action = body.get("leadAction");
    if (!"CREATED".equals(action) && !"DELETED".equals(action)) {
      throw new InvalidInput("leadAction", "must be CREATED or DELETED");
    }
    Object urn = body.get("leadGenFormResponse");
    if (!(urn instanceof String responseUrn) || LinkedInLead.idOfUrn(responseUrn).isEmpty()) {
      throw new InvalidInput("leadGenFormResponse", "must be a form response URN, urn:li:leadGenFormResponse:<id>");
    }
    LinkedInSync.Outcome outcome = "CREATED".equals(action) ? created(request, responseUrn) : sync().deleted(responseUrn);
    outcome.countIn(request.metrics());
    // Any 2xx acknowledges the notification; the outcome says what it did.
    return HttpResponse.json(200, outcome.toJson().put("leadAction", action));
  }

  /** A new lead, taken in; one that fails is counted here, refused or (on our side) failed. */
  private LinkedInSync.Outcome created(HttpRequest request, String responseUrn) {
    try {
      return sync().created(responseUrn);
    } catch (RuntimeException e) {
      IntakeResult.countSubmission(request.metrics(), Failure.of(e).kind().isClientError()
          ? Metric.SUBMISSIONS_REFUSED : Metric.SUBMISSIONS_FAILED);
      throw e;
    }
  }

  /** The client secret; without one no challenge can be answered and no signature checked. */
  private String clientSecret() {
    String secret;
    try {
      secret = settings.clientSecret();
    } catch (RuntimeException e) {
      throw new Unavailable("The LinkedIn client secret could not be read; retry later.", e);
    }
    if (secret == null) {
      throw Problem.unauthorized("LinkedIn sync has no client secret (LINKEDIN_CLIENT_SECRET or the secret "
          + "LINKEDIN_SECRET_ID names), so no LinkedIn signature can be valid.");
    }
    return secret;
  }

  private HttpResponse putMapping(HttpRequest request) {
    LinkedInFormMapping mapping = LinkedInFormMapping.parse(formUrn(request), request.jsonMap());
    boolean created = sync().putMapping(mapping).await();
    return HttpResponse.json(created ? 201 : 200, LinkedInViews.mapping(mapping));
  }

  private HttpResponse getMapping(HttpRequest request) {
    return HttpResponse.json(200, LinkedInViews.mapping(sync().mapping(knownFormUrn(request)).await()));
  }

  /** {@code ?limit=&after=}: mappings in form URN order. */
  private HttpResponse listMappings(HttpRequest request) {
    int limit = Paging.limit(request);
    List<LinkedInFormMapping> page = sync().mappings(Paging.afterKey(request), limit + 1).await();
    boolean more = page.size() > limit;
    List<LinkedInFormMapping> items = more ? page.subList(0, limit) : page;
    return HttpResponse.json(200, JsonViews.page(items, LinkedInViews::mapping,
        more ? Paging.next(items.get(items.size() - 1).formUrn()) : null));
  }

  /** A mapping proposed from the form's predefined questions, read from LinkedIn; not saved (PUT it). */
  private HttpResponse propose(HttpRequest request) {
    return HttpResponse.json(200, LinkedInViews.mapping(sync().propose(knownFormUrn(request))));
  }

  private HttpResponse status(HttpRequest request) {
    return HttpResponse.json(200, LinkedInViews.status(sync().status().await()));
  }

  private HttpResponse reset(HttpRequest request) {
    return HttpResponse.json(200, LinkedInViews.status(sync().reset().await()));
  }

  /** The path's form URN; API Gateway may hand it over still URL-encoded (a URN never has a '%'). */
  private static String formUrn(HttpRequest request) {
    String raw = request.pathParameter("formUrn");
    if (raw != null && raw.indexOf('%') >= 0) {
      try {
        raw = URLDecoder.decode(raw, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new NotFound("No LinkedIn form " + raw + ".");
      }
    }
    return raw;
  }

  /** A form URN that can name a mapping; anything else names nothing (404). */
  private static String knownFormUrn(HttpRequest request) {
    String urn = formUrn(request);
    if (!LinkedInFormMapping.isFormUrn(urn)) {
      throw new NotFound("No LinkedIn form " + urn + ": form URNs look like urn:li:leadGenForm:123 (URL-encoded).");
    }
    return urn;
  }

  private LinkedInSync sync() {
    return new LinkedInSync(database(), settings, this::api, clock, scoringNudge.get());
  }

  /** One LinkedIn client per execution environment, on the database's Vert.x. */
  private LinkedInApi api() {
    return api.get();
  }

  /** Built on first use: it needs the database, which the constructor only names. */
  private LinkedInApi newApi() {
    return new LinkedInApi(database().vertx(), settings, backoff);
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
