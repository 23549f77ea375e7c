package io.leadcycle.functions.linkedinsync;

import io.leadcycle.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LinkedIn's Lead Sync API on loopback, answering in the shapes of LinkedIn's documented examples
 * ({@code leadForms}, {@code leadFormResponses} by id and by the {@code q=owner} finder with
 * {@code submittedAtTimeRange} and {@code start}/{@code count} paging), checking the bearer token, and
 * answering scripted failures (429 with Retry-After, 500, 401) before the real answer.
 */
public final class FakeLinkedIn implements AutoCloseable {

  public static final String TOKEN = "AQV-test-access-token";
  public static final String FORM_ID = "7234246";
  public static final String FORM_URN = "urn:li:leadGenForm:" + FORM_ID;
  public static final String OWNER = "urn:li:sponsoredAccount:11223344";

  /** One request as it arrived. */
  record Seen(String method, String path, MultiMap headers, MultiMap params) {
  }

  private static final Pattern RANGE = Pattern.compile("^\\(start:(\\d+),end:(\\d+)\\)$");

  private final HttpServer server;
  private final List<JsonObject> leads = new CopyOnWriteArrayList<>();
  private final Deque<Integer> failures = new ConcurrentLinkedDeque<>();
  final List<Seen> requests = new CopyOnWriteArrayList<>();
  volatile String token = TOKEN;
  /** The Retry-After of scripted 429s (seconds). */
  volatile String retryAfter = "0";
  /** Run (once) before the next finder request is answered, which waits for it to complete. */
  volatile Supplier<Future<?>> beforeFinder;
  private final List<Runnable> heldFetches = new ArrayList<>();
  private int holdFetchesUntil;

  public FakeLinkedIn() {
    server = TestDatabase.vertx().createHttpServer().requestHandler(this::answer);
    server.listen(0, "127.0.0.1").await();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/rest";
  }

  /** The next requests are answered with these statuses, in order, before any real answer. */
  void failNext(Integer... statuses) {
    failures.addAll(List.of(statuses));
  }

  /**
   * The next {@code n} requests for one form response are answered together, once the last of them has
   * arrived: callers racing on one lead are all past their own checks before any of them gets it.
   */
  synchronized void holdResponseFetchesUntil(int n) {
    holdFetchesUntil = n;
  }

  private synchronized boolean held(Runnable answer) {
    if (holdFetchesUntil == 0) {
      return false;
    }
    heldFetches.add(answer);
    if (heldFetches.size() >= holdFetchesUntil) {
      holdFetchesUntil = 0;
      heldFetches.forEach(Runnable::run);
      heldFetches.clear();
    }
    return true;
  }

  public void add(JsonObject lead) {
    leads.add(lead);
  }

  void remove(String id) {
    leads.removeIf(l -> l.getString("id").equals(id));
  }

  List<Seen> requestsTo(String pathStart) {
    return requests.stream().filter(r -> r.path().startsWith(pathStart)).toList();
  }

  private void answer(HttpServerRequest request) {
    requests.add(new Seen(request.method().name(), request.path(), MultiMap.caseInsensitiveMultiMap()
        .addAll(request.headers()), MultiMap.caseInsensitiveMultiMap().addAll(request.params())));
    Integer failure = failures.poll();
    if (failure != null) {
      var response = request.response().setStatusCode(failure).putHeader("content-type", "application/json");
      if (failure == 429) {
        response.putHeader("Retry-After", retryAfter);
      }
      response.end(new JsonObject().put("status", failure).put("message", "scripted").encode());
      return;
    }
    if (!("Bearer " + token).equals(request.getHeader("Authorization"))) {
      json(request, 401, new JsonObject().put("status", 401).put("serviceErrorCode", 65601)
          .put("code", "REVOKED_ACCESS_TOKEN").put("message", "The token used in the request has been revoked by the user"));
      return;
    }
    String path = request.path();
    if (path.equals("/rest/leadForms/" + FORM_ID)) {
      json(request, 200, form());
    } else if (path.startsWith("/rest/leadForms/")) {
      json(request, 404, new JsonObject().put("status", 404).put("message", "Not found"));
    } else if (path.equals("/rest/leadFormResponses") && "owner".equals(request.getParam("q"))) {
      Supplier<Future<?>> before = beforeFinder;
      beforeFinder = null;
      if (before == null) {
        finder(request);
      } else {
        before.get().onComplete(done -> finder(request));
      }
    } else if (path.startsWith("/rest/leadFormResponses/") && held(() -> fetch(request, path))) {
      return;
    } else if (path.startsWith("/rest/leadFormResponses/")) {
      fetch(request, path);
    } else {
      json(request, 404, new JsonObject().put("status", 404));
    }
  }

  /** {@code GET /rest/leadFormResponses/{id}}. */
  private void fetch(HttpServerRequest request, String path) {
    String id = java.net.URLDecoder.decode(path.substring("/rest/leadFormResponses/".length()),
        java.nio.charset.StandardCharsets.UTF_8);
    leads.stream().filter(l -> l.getString("id").equals(id)).findFirst()
        .ifPresentOrElse(l -> json(request, 200, l),
            () -> json(request, 404, new JsonObject().put("status", 404).put("message", "Not found")));
  }

  /** {@code q=owner&owner=(sponsoredAccount:urn)&leadType=(leadType:SPONSORED)&submittedAtTimeRange=(start:,end:)&start=&count=}. */
  private void finder(HttpServerRequest request) {
    Matcher range = RANGE.matcher(String.valueOf(request.getParam("submittedAtTimeRange")));
    if (!range.matches() || !("(sponsoredAccount:" + OWNER + ")").equals(request.getParam("owner"))
        || !"(leadType:SPONSORED)".equals(request.getParam("leadType"))) {
      json(request, 400, new JsonObject().put("status", 400).put("message", "bad finder parameters"));
      return;
    }
    long from = Long.parseLong(range.group(1));
    long to = Long.parseLong(range.group(2));
    int start = Integer.parseInt(request.getParam("start", "0"));
    int count = Integer.parseInt(request.getParam("count", "10"));
    List<JsonObject> inRange = new ArrayList<>();
    for (JsonObject lead : leads) {
      long at = lead.getLong("submittedAt");
      if (at >= from && at < to) {
        inRange.add(lead);
      }
    }
    inRange.sort((a, b) -> Long.compare(b.getLong("submittedAt"), a.getLong("submittedAt")));
    JsonArray elements = new JsonArray();
    inRange.stream().skip(start).limit(count).forEach(elements::add);
    json(request, 200, new JsonObject()
        .put("paging", new JsonObject().put("start", start).put("count", count).put("links", new JsonArray())
            .put("total", inRange.size()))
        .put("elements", elements));
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("X-RestLi-Protocol-Version", "2.0.0").end(body.encode());
  }

  // ---- documented shapes ----

  /** The form of LinkedIn's leadForms example ("Form with written spanish", abridged to its questions). */
  static JsonObject form() {
    return new JsonObject("""
        {"reviewInfo": {"rejectionReasons": [], "lastUpdated": 1677209409563, "reviewStatus": "NEEDS_REVIEW"},
         "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:11223344"},
         "hiddenFields": [{"name": "hidden_field", "value": "abc678"}],
         "versionId": 1, "created": 1677209077832, "creationLocale": {"country": "ES", "language": "es"},
         "name": "Form with written spanish", "id": 7234246, "lastModified": 1677209424470, "state": "PUBLISHED",
         "content": {"questions": [
           {"questionId": 107234246, "question": {"localized": {"es_ES": "Nombre"}}, "responseEditable": true,
            "name": "First name", "questionDetails": {"textQuestionDetails": {"maxResponseLength": 300}},
            "predefinedField": "FIRST_NAME", "responseRequired": true},
           {"questionId": 207234246, "question": {"localized": {"es_ES": "Apellidos"}}, "responseEditable": true,
            "name": "Last name", "questionDetails": {"textQuestionDetails": {"maxResponseLength": 300}},
            "predefinedField": "LAST_NAME", "responseRequired": true},
           {"questionId": 307234246, "question": {"localized": {"es_ES": "Correo electrónico"}}, "responseEditable": true,
            "name": "Email address", "questionDetails": {"textQuestionDetails": {"maxResponseLength": 300}},
            "predefinedField": "EMAIL", "responseRequired": true},
           {"questionId": 407234246, "question": {"localized": {"es_ES": "Cargo"}}, "responseEditable": true,
            "name": "Job title", "questionDetails": {"textQuestionDetails": {"maxResponseLength": 300}},
            "predefinedField": "JOB_TITLE", "responseRequired": true},
           {"questionId": 507234246, "question": {"localized": {"es_ES": "Función"}}, "responseEditable": true,
            "name": "Function", "questionDetails": {"textQuestionDetails": {"maxResponseLength": 300}},
            "predefinedField": "JOB_FUNCTION", "responseRequired": true},
           {"questionId": 607234246, "question": {"localized": {"es_ES": "Correo electrónico del trabajo"}},
            "responseEditable": true, "name": "Work email",
            "questionDetails": {"textQuestionDetails": {"maxResponseLength": 300}},
            "predefinedField": "WORK_EMAIL", "responseRequired": true},
           {"name": "Custom question 0", "questionDetails": {"multipleChoiceQuestionDetails": {"options": [
              {"text": {"localized": {"es_ES": "Rojo"}}, "id": 0}, {"text": {"localized": {"es_ES": "Azul"}}, "id": 1}]}},
            "questionId": 707234246, "question": {"localized": {"es_ES": "Cuál es tu color favorito"}},
            "responseEditable": true, "responseRequired": true},
           {"name": "Custom question 1", "questionDetails": {"textQuestionDetails": {"maxResponseLength": 300}},
            "questionId": 807234246, "question": {"localized": {"es_ES": "¿Dónde creciste?"}},
            "responseEditable": true, "responseRequired": true}],
          "legalInfo": {"consents": [{"consent": {"localized": {"es_ES": "marque mi casilla"}}, "checkRequired": true,
            "id": 0}], "legalInfoId": 107234246, "privacyPolicyUrl": "http://example.com/privacy"}}}
        """);
  }

  /**
   * A form response in the shape of LinkedIn's documented example, with the form projected
   * ({@code form:(hiddenFields,creationLocale,name,id,content)}); {@code answers} by question id.
   */
  public static JsonObject lead(String id, Instant submittedAt, boolean testLead, Map<Long, String> answers) {
    JsonArray answerArray = new JsonArray();
    answers.forEach((questionId, answer) -> answerArray.add(new JsonObject().put("questionId", questionId)
        .put("answerDetails", new JsonObject().put("textQuestionAnswer", new JsonObject().put("answer", answer)))));
    answerArray.add(new JsonObject().put("questionId", 707234246L).put("answerDetails",
        new JsonObject().put("multipleChoiceAnswer", new JsonObject().put("options", new JsonArray().add(1)))));
    JsonObject form = form();
    return new JsonObject()
        .put("owner", new JsonObject().put("sponsoredAccount", OWNER))
        .put("submitter", "urn:li:person:BcLKblgopR")
        .put("leadType", "SPONSORED")
        .put("leadMetadata", new JsonObject().put("sponsoredLeadMetadata",
            new JsonObject().put("campaign", "urn:li:sponsoredCampaign:198356826")))
        .put("versionedLeadGenFormUrn", "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:" + FORM_ID + ",1)")
        .put("id", id)
        .put("submittedAt", submittedAt.toEpochMilli())
        .put("testLead", testLead)
        .put("associatedEntity", new JsonObject().put("associatedCreative", "urn:li:sponsoredCreative:241257736"))
        .put("form", new JsonObject().put("hiddenFields", form.getJsonArray("hiddenFields"))
            .put("creationLocale", form.getJsonObject("creationLocale")).put("name", form.getString("name"))
            .put("id", form.getLong("id")).put("content", form.getJsonObject("content")))
        .put("formResponse", new JsonObject()
            .put("consentResponses", new JsonArray().add(new JsonObject().put("accepted", true).put("consentId", 0)))
            .put("answers", answerArray));
  }

  /** A person's answers: first name, last name, email, job title (question ids of the example form). */
  public static Map<Long, String> person(String first, String last, String email, String jobTitle) {
    Map<Long, String> answers = new LinkedHashMap<>();
    if (first != null) {
      answers.put(107234246L, first);
    }
    if (last != null) {
      answers.put(207234246L, last);
    }
    if (email != null) {
      answers.put(307234246L, email);
    }
    if (jobTitle != null) {
      answers.put(407234246L, jobTitle);
    }
    return answers;
  }

  /** A lead notification as LinkedIn POSTs it. */
  public static String notification(String responseId, String action) {
    return new JsonObject()
        .put("type", "LEAD_ACTION")
        .put("leadGenFormResponse", "urn:li:leadGenFormResponse:" + responseId)
        .put("leadGenForm", "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:" + FORM_ID + ",1)")
        .put("owner", new JsonObject().put("sponsoredAccount", OWNER))
        .put("leadType", "SPONSORED")
        .put("leadAction", action)
        .put("occurredAt", Instant.now().toEpochMilli())
        .encode();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
