package io.leadcycle.linkedin;

import io.leadcycle.linkedin.LinkedInApiException.Reason;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The calls Leadcycle makes to LinkedIn's Lead Sync API (docs/linkedin.md cites LinkedIn's pages):
 * {@code GET /leadForms/{id}}, {@code GET /leadFormResponses/{id}} and the {@code q=owner} finder of
 * {@code /leadFormResponses}, each with {@code LinkedIn-Version}, {@code X-Restli-Protocol-Version: 2.0.0}
 * and the bearer token. {@code 429} and {@code 5xx} (and no answer) are retried a few times with
 * growing waits, honouring {@code Retry-After} up to a bound; {@code 401} is read once more with a
 * freshly read token (when Secrets Manager holds it) and then reported as {@link Reason#TOKEN_REFUSED},
 * never retried in a loop.
 *
 * <p>Every call blocks until LinkedIn answered: call it from a handler thread, never an event loop.
 */
public final class LinkedInApi implements AutoCloseable {

  /** What a form response request projects: the lead, and the form's questions (predefined fields, options). */
  static final String RESPONSE_FIELDS = "ownerInfo,associatedEntityInfo,leadMetadataInfo,owner,leadType,"
      + "versionedLeadGenFormUrn,id,submittedAt,testLead,formResponse,form:(hiddenFields,creationLocale,name,id,content)";
  public static final int PAGE_SIZE = 100;
  static final int ATTEMPTS = 4;

  /** One page of the finder: its elements (plain JSON) and whether there are more after it. */
  public record Page(List<JsonObject> elements, boolean more) {
  }

  /**
   * How long to wait between attempts: the first wait, doubling, and at most {@code max} per wait; and
   * how long one call may take with all its attempts and waits ({@code budget}; null: no bound but the
   * attempts). A retry that cannot finish within the budget is not made: the call fails at once.
   */
  public record Backoff(Duration first, Duration max, Duration budget) {
    /** The poll's: it may wait for LinkedIn, up to four attempts. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(20));
    /**
     * The webhook's: it answers LinkedIn (and API Gateway, and the function's 20 s timeout) soon; what it
     * cannot fetch in time the next poll takes in.
     */
    public static final Backoff WEBHOOK = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(8));

    public Backoff(Duration first, Duration max) {
      this(first, max, null);
    }
  }

  private final LinkedInSettings settings;
  private final WebClient client;
  private final Backoff backoff;
  private final Duration timeout = Duration.ofSeconds(10);

  public LinkedInApi(Vertx vertx, LinkedInSettings settings, Backoff backoff) {
    this.settings = settings;
    this.backoff = backoff;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setFollowRedirects(false)
        .setVerifyHost(true)
        .setConnectTimeout(5_000)
        .setUserAgent("Leadcycle-LinkedIn-Sync/1"));
  }

  /** A Lead Gen form ({@code urn:li:leadGenForm:<id>}): its name and questions. */
  public JsonObject form(String formUrn) {
    String id = formUrn.substring(formUrn.lastIndexOf(':') + 1);
    return get("/leadForms/" + id, "form " + formUrn);
  }

  /** One form response (lead) by its id, with the form's questions. */
  public JsonObject response(String responseId) {
    return get("/leadFormResponses/" + encode(responseId) + "?fields=" + RESPONSE_FIELDS,
        "form response " + responseId);
  }

  /**
   * One page of the leads of {@code owner} of {@code leadType} submitted in [{@code from}, {@code to}),
   * starting at element {@code start}.
   */
  public Page responses(LinkedInSettings.Owner owner, String leadType, Instant from, Instant to, int start) {
    // Rest.li 2.0: structures keep their parentheses, colons and commas; the URN inside is encoded.
    String path = "/leadFormResponses?q=owner"
        + "&owner=(" + owner.kind() + ":" + encode(owner.urn()) + ")"
        + "&leadType=(leadType:" + leadType + ")"
        + "&submittedAtTimeRange=(start:" + from.toEpochMilli() + ",end:" + to.toEpochMilli() + ")"
        + "&fields=" + RESPONSE_FIELDS
        + "&count=" + PAGE_SIZE + "&start=" + start;
    JsonObject answer = get(path, "form responses of " + owner.urn());
    JsonArray elements = answer.getJsonArray("elements", new JsonArray());
    List<JsonObject> page = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      if (elements.getValue(i) instanceof JsonObject element) {
        page.add(element);
      }
    }
    JsonObject paging = answer.getJsonObject("paging", new JsonObject());
    Integer total = paging.getInteger("total");
    boolean more = total != null ? start + elements.size() < total && !elements.isEmpty()
        : elements.size() >= PAGE_SIZE;
    return new Page(page, more);
  }

  private JsonObject get(String pathAndQuery, String what) {
    String token = settings.accessToken(false);
    if (token == null) {
      throw new LinkedInApiException(Reason.REFUSED, null, "No LinkedIn access token is configured: set "
          + "LINKEDIN_ACCESS_TOKEN, or accessToken in the secret LINKEDIN_SECRET_ID names.");
    }
    boolean renewed = false;
    Duration wait = backoff.first();
    long deadline = backoff.budget() == null ? Long.MAX_VALUE : System.nanoTime() + backoff.budget().toNanos();
    for (int attempt = 1; ; attempt++) {
      HttpResponse<Buffer> response;
      long requestTimeout = Math.max(1, Math.min(timeout.toMillis(), remainingMillis(deadline)));
      try {
        response = client.getAbs(settings.baseUrl() + pathAndQuery)
            .putHeader("Authorization", "Bearer " + token)
            .putHeader("LinkedIn-Version", settings.version())
            .putHeader("X-Restli-Protocol-Version", "2.0.0")
            .putHeader("Accept", "application/json")
            .timeout(requestTimeout)
            .send()
            .timeout(requestTimeout + 500, TimeUnit.MILLISECONDS)
            .await();
      } catch (Exception | Error e) {
        Duration sleep = attempt >= ATTEMPTS ? null : sleepFor(wait, null, deadline);
        if (sleep == null) {
          throw new LinkedInApiException(Reason.UNAVAILABLE, null, "LinkedIn did not answer for the " + what
              + " after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + " (" + e.getClass().getSimpleName()
              + ").");
        }
        wait = pause(wait, sleep);
        continue;
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        try {
          return response.bodyAsJsonObject();
        } catch (RuntimeException e) {
          throw new LinkedInApiException(Reason.REFUSED, status, "LinkedIn's answer for the " + what
              + " is not a JSON object.");
        }
      }
      if (status == 401) {
        if (!renewed && settings.tokenCanBeRenewed()) {
          String fresh = settings.accessToken(true);
          renewed = true;
          if (fresh != null && !fresh.equals(token)) {
            token = fresh;
            continue;
          }
        }
        throw new LinkedInApiException(Reason.TOKEN_REFUSED, 401, "LinkedIn refused the access token (401): it "
            + "has expired or was revoked. Renew it (LinkedIn access tokens last 60 days) and store it as "
            + "LINKEDIN_ACCESS_TOKEN or in the secret; nothing is retried until then.");
      }
      if (status == 429 || status >= 500) {
        Duration sleep = attempt >= ATTEMPTS ? null : sleepFor(wait, response.getHeader("Retry-After"), deadline);
        if (sleep == null) {
          throw new LinkedInApiException(status == 429 ? Reason.RATE_LIMITED : Reason.UNAVAILABLE, status,
              "LinkedIn answered " + status + " for the " + what + " " + (attempt == 1 ? "once" : attempt + " times")
                  + "; the next run resumes from the watermark.");
        }
        wait = pause(wait, sleep);
        continue;
      }
      if (status == 404) {
        throw new LinkedInApiException(Reason.NOT_FOUND, 404, "LinkedIn has no " + what + " (404).");
      }
      throw new LinkedInApiException(Reason.REFUSED, status, "LinkedIn refused the request for the " + what + " ("
          + status + (status == 403 ? ": the token lacks a permission such as r_marketing_leadgen_automation" : "")
          + ").");
    }
  }

  /**
   * How long to wait before the next attempt: {@code Retry-After} (in seconds) or {@code wait}, at most the
   * backoff's bound; null when the call's budget would run out before that attempt could be answered.
   */
  private Duration sleepFor(Duration wait, String retryAfter, long deadline) {
    Duration sleep = wait;
    if (retryAfter != null) {
      try {
        sleep = Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.strip())));
      } catch (NumberFormatException e) {
        // an HTTP date or garbage: our own wait
      }
    }
    if (sleep.compareTo(backoff.max()) > 0) {
      sleep = backoff.max();
    }
    return deadline != Long.MAX_VALUE && sleep.toMillis() >= remainingMillis(deadline) ? null : sleep;
  }

  private static long remainingMillis(long deadline) {
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
  }

  /** Sleeps {@code sleep}; answers the next wait. */
  private Duration pause(Duration wait, Duration sleep) {
    try {
      Thread.sleep(sleep.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkedInApiException(Reason.UNAVAILABLE, null, "interrupted while waiting to retry LinkedIn");
    }
    Duration next = wait.multipliedBy(2);
    return next.compareTo(backoff.max()) > 0 ? backoff.max() : next;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }
}
