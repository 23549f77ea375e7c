package io.leadcycle.local.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.InteractionType;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.local.LocalServer;
import io.leadcycle.scoring.BehavioralRule;
import io.leadcycle.scoring.ModelDefinition;
import io.leadcycle.scoring.ModelTarget;
import io.leadcycle.scoring.Op;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The scoring model designer in a real browser (Debian's headless Chromium, as {@link WorkbenchBrowserTest})
 * against the local server on the embedded database: a marketer builds a model with a demographic and a
 * behavioral rule, fixes the field the API refuses, previews it on seeded leads with their interactions (the
 * numbers checked against the API and the database, which the preview leaves as it was), publishes it,
 * watches the rescoring finish, and sees the scores on a lead. The fixed lists the designer offers
 * (scoring-lists.js) are compared with the model parser's. Skipped where no Chromium is installed.
 */
class ModelDesignerBrowserTest {

  private static final String TOKEN = "model-designer-browser-token";
  private static final Path SCREENSHOTS = Path.of("../../docs/images");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static LocalServer server;
  private static ChromeDriverService service;
  private static WebDriver browser;
  private static WebDriverWait waiting;

  /** The users a test made, disabled after it. */
  private final List<JsonObject> leaving = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    File chromium = new File(System.getenv().getOrDefault("LEADCYCLE_CHROMIUM", "/usr/bin/chromium"));
    File driver = new File(System.getenv().getOrDefault("LEADCYCLE_CHROMEDRIVER", "/usr/bin/chromedriver"));
    Assumptions.assumeTrue(chromium.canExecute() && driver.canExecute(),
        "ModelDesignerBrowserTest skipped: no Chromium at " + chromium + " or no chromedriver at " + driver
            + " (apt-get install -y chromium chromium-driver, as .ci/run does)");
    server = LocalServer.start(Map.of("DATABASE_URL", TestDatabase.url()), 0, TOKEN);
    service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1366,900",
        "--user-data-dir=" + Files.createTempDirectory("leadcycle-chromium"));
    browser = new ChromeDriver(service, options);
    waiting = new WebDriverWait(browser, Duration.ofSeconds(30));
    waiting.ignoring(StaleElementReferenceException.class);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void theTestsUsersLeave() throws Exception {
    for (JsonObject user : leaving) {
      HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/users/" + user.getString("id")))
          .header("Authorization", "Bearer " + TOKEN).DELETE().build(), BodyHandlers.discarding());
    }
    leaving.clear();
  }

  @Test
  void aMarketerBuildsPreviewsAndPublishesAModel() throws Exception {
    TestDatabase.reset();
    // Threshold 15 below; a manager gets 10, each visit in 30 days 2, at most 20.
    String ana = lead("ana@example.com", "Ana", "Marketing Manager", 4);   // 18: B, sales-ready
    String ben = lead("ben@example.com", "Ben", "Engineer", 2);            // 4: C
    String cy = lead("cy@example.com", "Cy", "Manager", 0);                // 10: B
    String dee = lead("dee@example.com", "Dee", "Head of Sales", 0);       // 0: C
    String eve = lead("eve@example.com", "Eve", "Sales Manager", 12);      // 30 (visits capped at 20): A, sales-ready
    JsonObject marketer = user("Mara Marketer", "marketing");
    signInAs(marketer.getString("token"));

    // The scoring models page is in the marketer's navigation; a new draft opens the designer.
    waiting.until(d -> navigation().contains("models"));
    browser.findElement(By.cssSelector("[data-view='models']")).click();
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("models-list"), "No scoring models yet."));
    browser.findElement(By.id("new-model")).click();
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/models/new"));

    // The model, its grades (with a gap the API will name), a demographic and a behavioral rule.
    type("name", "Managers who visit");
    type("salesReadyThreshold", "15");
    type("grades[0].max", "9");
    type("grades[1].min", "12");
    type("grades[1].max", "19");
    type("grades[2].min", "20");
    pick("rules[0].field", "jobTitle");
    pick("rules[0].op", "contains");
    assertThat(options("rules[0].op")).as("text fields take no number comparison")
        .containsExactly("eq", "neq", "contains", "in", "exists");
    type("rules[0].id", "manager");
    type("rules[0].value", "manager");
    type("rules[0].points", "10");
    new Select(browser.findElement(By.id("add-rule-kind"))).selectByValue("behavioral");
    browser.findElement(By.id("add-rule")).click();
    waiting.until(d -> !d.findElements(path("rules[1].interaction")).isEmpty());
    assertThat(options("rules[1].interaction")).containsExactly("email_opened", "email_clicked", "form_submitted",
        "website_visited", "event_registered", "event_attended", "linkedin_form_submitted");
    type("rules[1].id", "visits");
    pick("rules[1].interaction", "website_visited");
    pick("rules[1].frequency", "each");
    type("rules[1].withinDays", "30");
    type("rules[1].points", "2");
    type("rules[1].maxPoints", "20");

    // The API refuses the gap: said on the field it names, and nothing is created.
    browser.findElement(By.id("save-model")).click();
    WebElement gap = waiting.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("[data-error-for='grades[1].min']")));
    assertThat(gap.getText()).contains("leaves a gap after grade 'C'");
    assertThat(browser.findElement(path("grades[1].min")).getDomAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.findElement(By.id("designer-result")).getText()).startsWith("Not saved: one field needs a change.");
    assertThat(TestDatabase.count("SELECT count(*) FROM scoring_models")).isZero();
    type("grades[1].min", "10");
    browser.findElement(By.id("save-model")).click();
    waiting.until(ExpectedConditions.urlMatches("#/models/[0-9a-f-]{36}$"));
    String model = browser.getCurrentUrl().replaceAll(".*#/models/", "");
    waiting.until(ExpectedConditions.textToBe(By.id("designer-model-status"), "Draft"));
    JsonObject saved = api("GET", "/v1/scoring-models/" + model, null);
    assertThat(saved.getJsonArray("rules").getJsonObject(1)).isEqualTo(new JsonObject().put("id", "visits")
        .put("kind", "behavioral").put("interaction", "website_visited").put("frequency", "each").put("withinDays", 30)
        .put("points", 2).put("maxPoints", 20));
    assertThat(saved.getJsonArray("rules").getJsonObject(0).getString("value")).isEqualTo("manager");

    // The preview: distribution, sales-ready, the best leads with their explanation; as the API says it,
    // and nothing written.
    String before = tables();
    browser.findElement(By.id("preview-model")).click();
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("preview-summary")));
    JsonObject preview = api("POST", "/v1/scoring-models/" + model + "/preview", new JsonObject().put("sample", 500));
    assertThat(preview.getInteger("scored")).isEqualTo(5);
    assertThat(preview.getInteger("salesReady")).isEqualTo(2);
    assertThat(browser.findElement(By.id("preview-summary")).getText())
        .isEqualTo("5 leads scored. 2 would be sales-ready (a score of 15 or more).");
    Map<String, String> shown = new LinkedHashMap<>();
    browser.findElements(By.cssSelector("#preview-distribution tbody tr")).forEach(row ->
        shown.put(row.getDomAttribute("data-grade"), row.findElements(By.tagName("td")).get(1).getText()));
    assertThat(shown).isEqualTo(Map.of("C", "2", "B", "2", "A", "1"));
    Map<String, String> fromApi = new LinkedHashMap<>();
    preview.getJsonArray("distribution").forEach(g -> fromApi.put(((JsonObject) g).getString("grade"),
        String.valueOf(((JsonObject) g).getInteger("count"))));
    assertThat(shown).isEqualTo(fromApi);
    List<String> bestLeads = browser.findElements(By.cssSelector("#preview-leads tbody tr")).stream()
        .map(r -> r.getDomAttribute("data-lead-id")).toList();
    assertThat(bestLeads).containsExactly(eve, ana, cy, ben, dee);
    WebElement best = browser.findElement(By.cssSelector("#preview-leads tr[data-lead-id='" + eve + "']"));
    assertThat(best.getText()).contains("Eve", "30", "A", "yes", "manager +10, visits +20 (12×)");
    assertThat(tables()).as("the preview wrote nothing").isEqualTo(before);
    assertThat(TestDatabase.count("SELECT count(*) FROM lead_scores")).isZero();
    screenshot("workbench-model-designer.png");

    // Publish: the rescoring runs (the local server's recalculation) and its bar fills.
    browser.findElement(By.id("publish-model")).click();
    waiting.until(ExpectedConditions.textToBe(By.id("designer-model-status"), "Live"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#designer-rescoring-bar[data-state='done']")));
    assertThat(browser.findElement(By.id("designer-rescoring-bar")).getDomProperty("value")).isEqualTo("1");
    assertThat(browser.findElement(By.id("designer-rescoring")).getText()).startsWith("Rescoring done: 5 leads scored");
    assertThat(browser.findElements(By.id("save-model"))).as("a live model is copied, not edited").isEmpty();
    assertThat(browser.findElement(path("name")).isEnabled()).isFalse();

    // The scores the rescoring wrote are the preview's, and the lead shows its own.
    for (Object item : preview.getJsonArray("leads")) {
      JsonObject previewed = (JsonObject) item;
      JsonObject lead = api("GET", "/v1/leads/" + previewed.getString("id"), null);
      JsonObject score = lead.getJsonArray("scores").getJsonObject(0);
      assertThat(score.getInteger("score")).isEqualTo(previewed.getInteger("score"));
      assertThat(score.getString("grade")).isEqualTo(previewed.getString("grade"));
      assertThat(lead.getBoolean("salesReady")).isEqualTo(previewed.getBoolean("salesReady"));
    }
    browser.findElement(By.cssSelector("#preview-leads tr[data-lead-id='" + eve + "'] a")).click();
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".score[data-model-id='" + model + "']")));
    assertThat(browser.findElement(By.cssSelector(".score[data-model-id='" + model + "']")).getText())
        .contains("Managers who visit", "30", "A", "manager", "visits");

    // The list: live, rescoring done.
    browser.get(base() + "/workbench/#/models");
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-model-id='" + model + "']")));
    WebElement row = browser.findElement(By.cssSelector("tr[data-model-id='" + model + "']"));
    assertThat(row.findElement(By.className("model-status")).getText()).isEqualTo("Live");
    assertThat(row.findElement(By.cssSelector("progress")).getDomAttribute("data-state")).isEqualTo("done");

    // Copy makes a new draft to edit; retire stops the live one.
    row.findElement(By.className("model-link")).click();
    waiting.until(ExpectedConditions.elementToBeClickable(By.id("retire-model"))).click();
    waiting.until(ExpectedConditions.textToBe(By.id("designer-model-status"), "Retired"));
    browser.findElement(By.id("copy-model")).click();
    waiting.until(d -> !d.getCurrentUrl().endsWith(model) && d.getCurrentUrl().matches(".*#/models/[0-9a-f-]{36}$"));
    waiting.until(ExpectedConditions.textToBe(By.id("designer-model-status"), "Draft"));
    assertThat(browser.findElement(path("name")).getDomProperty("value")).isEqualTo("Managers who visit (copy)");
    assertThat(browser.findElement(path("name")).isEnabled()).isTrue();
  }

  @Test
  void theDesignersListsAreTheModelParsers() throws Exception {
    JsonObject marketer = user("Lis Lists", "marketing");
    signInAs(marketer.getString("token"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("script[type=module]")));
    String module = ((String) script("return document.querySelector('script[type=module]').src"))
        .replace("app.js", "scoring-lists.js");
    @SuppressWarnings("unchecked")
    Map<String, Object> lists = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
        const [url, done] = arguments;
        import(url).then((l) => {
          const fields = (kind) => l.FIELDS[kind].map((f) => f.name);
          const ops = {};
          for (const kind of ['demographic', 'firmographic']) {
            for (const field of [...fields(kind), ...(kind === 'demographic' ? ['attributes.score'] : [])]) {
              ops[`${kind} ${field}`] = l.opsFor(kind, field);
            }
          }
          done({targets: l.TARGETS, kinds: l.KINDS, ops: l.OPS, interactions: l.INTERACTIONS,
            frequencies: l.FREQUENCIES, demographic: fields('demographic'), firmographic: fields('firmographic'),
            opsFor: ops});
        }).catch((error) => done({error: String(error)}));""", module);
    assertThat(lists).doesNotContainKey("error");
    assertThat(lists.get("targets")).isEqualTo(Arrays.stream(ModelTarget.values()).map(ModelTarget::wireName).toList());
    assertThat(lists.get("ops")).isEqualTo(Arrays.stream(Op.values()).map(Op::wireName).toList());
    assertThat(lists.get("interactions"))
        .isEqualTo(Arrays.stream(InteractionType.values()).map(InteractionType::wireName).toList());
    assertThat(lists.get("frequencies")).isEqualTo(Arrays.stream(BehavioralRule.Frequency.values())
        .map(BehavioralRule.Frequency::wireName).toList());
    assertThat(lists.get("demographic")).isEqualTo(ModelDefinition.demographicFields());
    assertThat(lists.get("firmographic")).isEqualTo(ModelDefinition.firmographicFields());
    assertThat(lists.get("kinds")).isEqualTo(List.of("demographic", "firmographic", "behavioral"));
    // Each field's ops are exactly those the parser takes for it.
    @SuppressWarnings("unchecked")
    Map<String, List<String>> opsFor = (Map<String, List<String>>) lists.get("opsFor");
    assertThat(opsFor).hasSize(ModelDefinition.demographicFields().size() + ModelDefinition.firmographicFields().size() + 1);
    opsFor.forEach((kindAndField, offered) -> {
      String kind = kindAndField.split(" ")[0];
      String field = kindAndField.split(" ")[1];
      List<String> accepted = Arrays.stream(Op.values()).map(Op::wireName)
          .filter(op -> parserTakes(kind, field, op)).toList();
      assertThat(offered).as(kindAndField).isEqualTo(accepted);
    });
    // The kinds the parser names in its refusal are the designer's.
    assertThat(refusal(new JsonObject().put("kind", "other"))).contains("demographic, firmographic, behavioral");
  }

  /**
   * Whether the parser takes {@code op} on this field: a rule with it parses with a number or a text value (or
   * none for exists); refused, the op must be what it names.
   */
  private static boolean parserTakes(String kind, String field, String op) {
    List<Object> values = switch (op) {
      case "exists" -> java.util.Collections.singletonList(null);
      case "in" -> List.of(List.of(1), List.of("123"));
      default -> List.of(1, "123");
    };
    List<String> faults = List.of();
    for (Object value : values) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("id", "r");
      rule.put("kind", kind);
      rule.put("field", field);
      rule.put("op", op);
      if (value != null) {
        rule.put("value", value);
      }
      rule.put("points", 1);
      try {
        ModelDefinition.parse(model(rule));
        return true;
      } catch (InvalidInput refused) {
        faults = refused.errors().stream().map(e -> e.field()).toList();
      }
    }
    assertThat(faults).as("%s %s %s", kind, field, op).contains("rules[0].op");
    return false;
  }

  private static String refusal(JsonObject rule) {
    try {
      ModelDefinition.parse(model(new LinkedHashMap<>(rule.put("id", "r").put("points", 1).getMap())));
      return "";
    } catch (InvalidInput refused) {
      return refused.errors().toString();
    }
  }

  /** A model body of plain Maps and Lists, as the handler hands the parser a request's JSON. */
  private static Map<String, Object> model(Map<String, Object> rule) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "m");
    body.put("target", "contact");
    body.put("salesReadyThreshold", 1);
    body.put("grades", List.of(Map.of("name", "A", "min", 0, "max", 10)));
    body.put("rules", List.of(rule));
    return body;
  }

  // ---- seeding through the API ----

  /** A contact with this job title and a lead, who visited the website {@code visits} times lately. */
  private static String lead(String email, String firstName, String jobTitle, int visits) throws Exception {
    String contact = api("POST", "/v1/contacts", new JsonObject().put("email", email).put("firstName", firstName)
        .put("lastName", "Sample").put("jobTitle", jobTitle)).getString("id");
    String lead = api("POST", "/v1/leads", new JsonObject().put("topic", "Website").put("contactId", contact)
        .put("context", new JsonObject().put("kind", "campaign").put("id", "web").put("name", "Website"))).getString("id");
    if (visits > 0) {
      JsonArray items = new JsonArray();
      for (int i = 0; i < visits; i++) {
        items.add(new JsonObject().put("sourceId", email + "-" + i).put("type", "website_visited").put("contactId", contact)
            .put("occurredAt", Instant.now().minus(Duration.ofDays(2)).minusSeconds(i).toString()));
      }
      api("POST", "/v1/interactions", new JsonObject().put("interactions", items));
    }
    return lead;
  }

  private JsonObject user(String name, String role) throws Exception {
    JsonObject user = api("POST", "/v1/users", new JsonObject().put("name", name).put("roles", new JsonArray().add(role)));
    leaving.add(user);
    return user;
  }

  /** The rows of what a preview must not change, as text. */
  private static String tables() {
    StringBuilder all = new StringBuilder();
    for (String table : List.of("leads", "lead_scores", "lead_timeline", "outbox", "scoring_models")) {
      all.append(table).append(':').append(TestDatabase.database().pool()
          .query("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM " + table + " t").execute()
          .await().iterator().next().getString(0)).append('\n');
    }
    return all.toString();
  }

  private static JsonObject api(String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + TOKEN);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = HTTP.send(request.method(method,
        body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body.encode())).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
    return response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
  }

  // ---- the browser ----

  private static String base() {
    return "http://localhost:" + server.port();
  }

  private static Object script(String code, Object... arguments) {
    return ((JavascriptExecutor) browser).executeScript(code, arguments);
  }

  private static void signInAs(String token) {
    browser.get(base() + "/workbench/config.json");
    script("sessionStorage.clear()");
    browser.get(base() + "/workbench/#token=" + token);
  }

  private static List<String> navigation() {
    return browser.findElements(By.cssSelector("#nav-list [data-view]")).stream().map(a -> a.getDomAttribute("data-view")).toList();
  }

  private static By path(String apiPath) {
    return By.cssSelector("[data-path='" + apiPath + "']");
  }

  /** Replaces what the box for {@code apiPath} holds with {@code text}, as typed. */
  private static void type(String apiPath, String text) {
    WebElement box = waiting.until(ExpectedConditions.elementToBeClickable(path(apiPath)));
    box.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    box.sendKeys(text);
  }

  private static void pick(String apiPath, String value) {
    new Select(waiting.until(ExpectedConditions.elementToBeClickable(path(apiPath)))).selectByValue(value);
  }

  private static List<String> options(String apiPath) {
    return browser.findElement(path(apiPath)).findElements(By.tagName("option")).stream()
        .map(o -> o.getDomAttribute("value")).toList();
  }

  /** A PNG of the whole page into docs/images. */
  private static void screenshot(String file) throws IOException {
    Dimension before = browser.manage().window().getSize();
    long pageHeight = (Long) script("return Math.ceil(document.documentElement.scrollHeight)");
    browser.manage().window().setSize(new Dimension(1366, (int) Math.min(Math.max(pageHeight + 120, 900), 4000)));
    script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
    Path png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.createDirectories(SCREENSHOTS);
    Files.copy(png, SCREENSHOTS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    browser.manage().window().setSize(before);
  }
}
