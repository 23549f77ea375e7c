package io.leadcycle.functions.scoring;

import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.Fields;
import io.leadcycle.domain.InteractionBatch;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.http.Access;
import io.leadcycle.http.Csv;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.events.JsonViews;
import io.leadcycle.http.Paging;
import io.leadcycle.http.Route;
import io.leadcycle.interactions.InteractionService;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.postgres.Database;
import io.leadcycle.scoring.ModelDefinition;
import io.leadcycle.scoring.ModelStatus;
import io.leadcycle.scoring.ScoringModel;
import io.leadcycle.scoring.ScoringPreview;
import io.leadcycle.scoringmodels.ScoringModelService;
import io.leadcycle.store.ScoreExportStore;
import io.leadcycle.store.ScoringModelStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.RescoringGroups;

/**
 * Scoring management: scoring models through their life (draft, live, retired, copies), each model's
 * lead-score list as JSON pages or CSV (the export), interactions that other systems report, and score
 * recalculation on demand. Every route is a management route.
 *
 * <p>Interactions that were stored (their contacts marked for rescoring) and a model going live (a full
 * rescoring to run) nudge score recalculation once committed ({@code SCORING_NUDGE_QUEUE_URL}; without it
 * the schedule picks them up).
 */
public final class ScoringHandler extends HttpFunction {

  private final Supplier<Database> database;

  /** Rows of a CSV page unless {@code limit} says otherwise, and the most it may say. */
  static final int CSV_DEFAULT_LIMIT = 1000;
  static final int CSV_MAX_LIMIT = 10_000;
  /**
   * The most a CSV page holds, in UTF-8 bytes: Lambda answers at most 6 MB (the body inside a JSON
   * envelope, escaped), so a page of long rows ends early; its {@code next} continues.
   */
  static final long CSV_MAX_BYTES = 4L * 1024 * 1024;

  /** How long {@code POST /v1/scoring/recalculate} may work before it answers. */
  static final Duration RECALCULATION_BUDGET = Duration.ofSeconds(10);

  private final Clock clock;
  private final Supplier<Nudge> scoringNudge;
  private final RescoringGroups rescoringGroups;

  /** The constructor Lambda calls: the database and the nudge come from the environment, on first use. */
  public ScoringHandler() {
    this(System.getenv());
  }

  /** As Lambda's, with {@code env} for the environment (the local server's: {@code RESCORING_PARALLELISM}). */
  public ScoringHandler(Map<String, String> env) {
    this.database = SharedDatabase.warmingUp();
    this.clock = Clock.systemUTC();
    this.scoringNudge = AwsResources.SCORING_NUDGE;
    this.rescoringGroups = RescoringGroups.fromEnvironment(env);
  }

  public ScoringHandler(Supplier<Database> database) {
    this(database, Clock.systemUTC());
  }

  ScoringHandler(Supplier<Database> database, Clock clock) {
    this(database, clock, Nudge.NONE);
  }

  ScoringHandler(Supplier<Database> database, Clock clock, Nudge scoringNudge) {
    this(database, clock, scoringNudge, new RescoringGroups(RescoringGroups.DEFAULT));
  }

  ScoringHandler(Supplier<Database> database, Clock clock, Nudge scoringNudge, RescoringGroups rescoringGroups) {
    this.database = database;
    this.clock = clock;
    this.scoringNudge = () -> scoringNudge;
    this.rescoringGroups = rescoringGroups;
  }

  @Override
  protected List<Route> defineRoutes() {
    return List.of(
        new Route("POST", "/v1/scoring-models", Access.MANAGEMENT, this::createModel),
        new Route("GET", "/v1/scoring-models", Access.MANAGEMENT, this::listModels),
        new Route("GET", "/v1/scoring-models/{modelId}", Access.MANAGEMENT, this::getModel),
        new Route("PUT", "/v1/scoring-models/{modelId}", Access.MANAGEMENT, this::replaceModel),
        new Route("POST", "/v1/scoring-models/{modelId}/publish", Access.MANAGEMENT, this::publishModel),
        new Route("POST", "/v1/scoring-models/{modelId}/retire", Access.MANAGEMENT, this::retireModel),
        new Route("POST", "/v1/scoring-models/{modelId}/copy", Access.MANAGEMENT, this::copyModel),
        new Route("POST", "/v1/scoring-models/{modelId}/preview", Access.MANAGEMENT, this::previewModel),
        new Route("GET", "/v1/scoring-models/{modelId}/scores", Access.MANAGEMENT, this::scores),
        new Route("POST", "/v1/interactions", Access.MANAGEMENT, this::recordInteractions),
        new Route("POST", "/v1/scoring/recalculate", Access.MANAGEMENT, this::recalculate));
  }

  // ---- models ----

  private HttpResponse createModel(HttpRequest request) {
    ModelDefinition definition = ModelDefinition.parse(request.jsonMap());
    return model(201, models().create(definition).await());
  }

  /** {@code ?status=draft|live|retired&limit=&after=}: models in creation order. */
  private HttpResponse listModels(HttpRequest request) {
    String statusName = request.queryParameter("status");
    ModelStatus status = statusName == null ? null : ModelStatus.fromWireName(statusName)
        .orElseThrow(() -> new InvalidInput("status", "one of: draft, live, retired"));
    int limit = Paging.limit(request);
    Paging.Cursor after = Paging.after(request);
    ScoringModelStore.Page page = models().list(status, after == null ? null : after.created(),
        after == null ? null : after.id(), limit).await();
    String next = page.more() ? Paging.next(page.last().createdAt(), page.last().id()) : null;
    return HttpResponse.json(200, JsonViews.page(page.items(), ScoringViews::model, next));
  }

  private HttpResponse getModel(HttpRequest request) {
    return model(200, models().get(modelId(request)).await());
  }

  private HttpResponse replaceModel(HttpRequest request) {
    UUID id = modelId(request);
    ModelDefinition definition = ModelDefinition.parse(request.jsonMap());
    return model(200, models().replace(id, definition).await());
  }

  /** No body: one that is sent is not read. */
  private HttpResponse publishModel(HttpRequest request) {
    ScoringModel published = models().publish(modelId(request)).await();
    // Its full rescoring starts now, not at the next minute, in N runs at once (RESCORING_PARALLELISM).
    rescoringGroups.nudgeEach(scoringNudge.get(), "model-published");
    return model(200, published);
  }

  /** No body: one that is sent is not read. */
  private HttpResponse retireModel(HttpRequest request) {
    return model(200, models().retire(modelId(request)).await());
  }

  /** A model's name, as the model parser reads it (the copy is parsed again as a whole). */
  private static final int MAX_MODEL_NAME_LENGTH = 200;

  /** An optional body {@code {"name"}}: the copy's name (default: the original's with " (copy)"). */
  private HttpResponse copyModel(HttpRequest request) {
    UUID id = modelId(request);
    String name = null;
    if (!request.bodyText().isBlank()) {
      Map<String, Object> body = request.jsonMap();
      List<FieldError> errors = new ArrayList<>();
      body.keySet().stream().filter(key -> !key.equals("name"))
          .forEach(key -> errors.add(new FieldError(key, "unknown field; allowed: name")));
      // Present, the name must be one (null included: leave it out for the generated name).
      if (body.containsKey("name")) {
        name = Fields.text("name", body.get("name"), MAX_MODEL_NAME_LENGTH, errors);
      }
      if (!errors.isEmpty()) {
        throw new InvalidInput(errors);
      }
    }
    return model(201, models().copy(id, name).await());
  }

  /**
   * {@code {leadIds?, sample?}} (or no body: the newest 500 open leads): what the model, as it is now
   * (a draft too), would make of those leads. Reads only: a body in error is a 400 before anything is read.
   */
  private HttpResponse previewModel(HttpRequest request) {
    UUID id = modelId(request);
    ScoringPreview.Request what = ScoringPreview.Request.parse(request.bodyText().isBlank() ? null : request.jsonMap());
    ScoringModel model = models().get(id).await();
    return HttpResponse.json(200, ScoringViews.preview(new RecalculationService(database(), clock).preview(model, what)));
  }

  // ---- the score list ----

  /**
   * {@code ?format=json|csv&grade=&limit=&after=}: the model's lead scores, best first. JSON answers the
   * usual page; CSV a header row and up to {@code limit} rows. Both name the next page in
   * {@code Link: <...>; rel="next"} and {@code x-next-cursor} (and JSON in {@code next}).
   */
  private HttpResponse scores(HttpRequest request) {
    UUID id = modelId(request);
    String format = request.queryParameter("format");
    boolean csv = "csv".equals(format);
    if (format != null && !csv && !"json".equals(format)) {
      throw new InvalidInput("format", "json (the default) or csv");
    }
    int limit = csv ? Paging.limit(request, CSV_DEFAULT_LIMIT, CSV_MAX_LIMIT) : Paging.limit(request);
    Paging.ScoreCursor after = Paging.afterScore(request);
    String grade = request.queryParameter("grade");
    ScoreExportStore.Page page = models().scores(id, grade,
        after == null ? null : new ScoreExportStore.Position(after.score(), after.id()), limit).await();
    if (!csv) {
      String next = page.more() ? Paging.next(page.last().score(), page.last().leadId()) : null;
      return withNext(HttpResponse.json(200, JsonViews.page(page.rows(), ScoringViews::score, next)), request, next);
    }
    Csv table = new Csv().record(ScoringViews.SCORE_COLUMNS);
    ScoreExportStore.ScoreRow last = null;
    boolean cut = false;
    for (ScoreExportStore.ScoreRow row : page.rows()) {
      if (!table.recordWithin(ScoringViews.scoreCells(row), CSV_MAX_BYTES)) {
        cut = true;
        break;
      }
      last = row;
    }
    String next = (page.more() || cut) && last != null ? Paging.next(last.score(), last.leadId()) : null;
    HttpResponse response = new HttpResponse(200, Map.of(
        "content-type", "text/csv; charset=utf-8",
        "content-disposition", "attachment; filename=\"scores-" + id + ".csv\""), table.toString());
    return withNext(response, request, next);
  }

  /** The next page's cursor in {@code x-next-cursor} and as a {@code Link} (RFC 8288), if there is one. */
  private static HttpResponse withNext(HttpResponse response, HttpRequest request, String next) {
    return Paging.withNext(response, request, next, List.of("format", "grade", "limit"));
  }

  // ---- interactions ----

  /** {@code {"interactions": [...]}} → 202 {@code {accepted, duplicates, rejected}}. */
  private HttpResponse recordInteractions(HttpRequest request) {
    // Each item is judged alone, its text too: a bad item is rejected, the rest accepted.
    InteractionBatch batch = InteractionBatch.parse(request.jsonBatch("interactions"), clock.instant());
    InteractionService.Outcome outcome = new InteractionService(database()).record(batch).await();
    if (outcome.accepted() > 0) {
      scoringNudge.get().send("interactions"); // their contacts are marked, committed by now
    }
    return HttpResponse.json(202,
        ScoringViews.interactionOutcome(outcome.accepted(), outcome.duplicates(), outcome.rejected()));
  }

  // ---- recalculation on demand ----

  /**
   * Runs score recalculation now, as the scheduled function does, for at most
   * {@link #RECALCULATION_BUDGET} (well inside the function's timeout and API Gateway's 30 s), and
   * answers what it did; {@code more: true} when it stopped with work left (the schedule, or another
   * call, continues). No body: one that is sent is not read.
   */
  private HttpResponse recalculate(HttpRequest request) {
    RecalculationService.RunSummary summary = new RecalculationService(database(), clock).run(RECALCULATION_BUDGET);
    return HttpResponse.json(200, summary.toJson());
  }

  // ---- helpers ----

  private ScoringModelService models() {
    return new ScoringModelService(database());
  }

  private static UUID modelId(HttpRequest request) {
    return request.uuidPathParameter("modelId", "scoring model");
  }

  private static HttpResponse model(int status, ScoringModel model) {
    return HttpResponse.json(status, ScoringViews.model(model));
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
