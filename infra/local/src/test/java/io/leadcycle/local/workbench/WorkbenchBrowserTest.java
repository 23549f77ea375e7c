package io.leadcycle.local.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.TestDatabase;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The workbench in a real browser (Debian's headless Chromium, driven by its chromedriver through
 * Selenium; nothing is downloaded) against the local server on the embedded database. Leads are seeded
 * through the API and scored by the local server's score-recalculation timer, as in use: the sales queue,
 * a lead's stage bar, scores with their explanation and timeline, the telemarketing path (accept, record
 * the qualification, ready for sales), sales acceptance with an owner, a 409 in words, a new lead appearing
 * without a reload, and a contact named like markup shown as text. Signing in through hosted sign-in pages
 * (a fake of Cognito's on loopback, {@link FakeHostedSignIn}) with the authorization code and PKCE, and a
 * forged state refused in words. The screenshots in the README and docs/workbench.md come from this run. Skipped, with a message, only where no Chromium is installed ({@code .ci/run} installs it).
 */
class WorkbenchBrowserTest {

  private static final String TOKEN = "workbench-browser-token";
  private static final String XSS_NAME = "<img src=x onerror=alert(1)>";
  private static final Path SCREENSHOTS = Path.of("../../docs/images");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static FakeHostedSignIn hosted;
  private static LocalServer server;
  private static ChromeDriverService service;
  private static WebDriver browser;
  private static WebDriverWait waiting;

  @BeforeAll
  static void start() throws IOException {
    File chromium = new File(System.getenv().getOrDefault("LEADCYCLE_CHROMIUM", "/usr/bin/chromium"));
    File driver = new File(System.getenv().getOrDefault("LEADCYCLE_CHROMEDRIVER", "/usr/bin/chromedriver"));
    Assumptions.assumeTrue(chromium.canExecute() && driver.canExecute(),
        "WorkbenchBrowserTest skipped: no Chromium at " + chromium + " or no chromedriver at " + driver
            + " (apt-get install -y chromium chromium-driver, as .ci/run does; or set LEADCYCLE_CHROMIUM and "
            + "LEADCYCLE_CHROMEDRIVER)");
    // The workbench signs in at the fake hosted pages, which hand out the local server's token.
    hosted = FakeHostedSignIn.start(TOKEN);
    server = LocalServer.start(Map.of("DATABASE_URL", TestDatabase.url(), "SIGN_IN_BASE_URL", hosted.baseUrl(),
        "SIGN_IN_CLIENT_ID", FakeHostedSignIn.CLIENT_ID), 0, TOKEN);
    hosted.registerPage(base() + "/workbench/");
    service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1366,900",
        "--user-data-dir=" + Files.createTempDirectory("leadcycle-chromium"));
    browser = new ChromeDriver(service, options);
    // The page re-renders as it polls and after every action: an element found a moment ago may be gone.
    waiting = new WebDriverWait(browser, Duration.ofSeconds(20));
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
    if (hosted != null) {
      hosted.close();
    }
  }

  @Test
  void signsInThroughTheHostedPagesWithPkceAndRefusesAForgedState() throws Exception {
    TestDatabase.reset();
    String lead = telemarketingReadyLead("pkce@example.com", "Paula", "Kay", "Signed in by code");
    api("POST", "/v1/leads/" + lead + "/process", new JsonObject().put("action", "mark-sales-ready"));
    int issued = hosted.tokensIssued();
    browser.get(base() + "/workbench/");
    script("sessionStorage.clear()");
    browser.navigate().refresh();

    // No token: the page offers the hosted sign-in, and the paste box stays.
    WebElement signIn = waiting.until(ExpectedConditions.elementToBeClickable(By.id("sign-in-button")));
    assertThat(browser.findElements(By.id("token-input"))).hasSize(1);
    screenshot("workbench-sign-in.png", false);
    signIn.click();

    // At the hosted pages and back: the code is exchanged with the verifier, the queue loads, and neither
    // the code nor the state is left in the address bar; the verifier and state are used up.
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-lead-id='" + lead + "']")));
    assertThat(hosted.refusals()).isEmpty();
    assertThat(hosted.tokensIssued()).isEqualTo(issued + 1);
    assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/workbench/#/sales");
    assertThat(script("return sessionStorage.getItem('leadcycle.workbench.token')")).isEqualTo(TOKEN);
    assertThat(script("return sessionStorage.getItem('leadcycle.workbench.signin')")).isNull();
    assertThat(row(lead).getText()).contains("Paula Kay", "Signed in by code");

    // "Forget token" forgets it and offers to sign out of the hosted pages, which send the browser back.
    browser.findElement(By.id("forget-token")).click();
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-notice"), "forgotten"));
    assertThat(script("return sessionStorage.getItem('leadcycle.workbench.token')")).isNull();
    browser.findElement(By.id("sign-out-button")).click();
    waiting.until(d -> hosted.logouts() == 1);
    waiting.until(ExpectedConditions.elementToBeClickable(By.id("sign-in-button")));
    assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/workbench/");

    // An answer with a state this tab did not send is refused in words, and its code is never exchanged.
    hosted.forgeState(true);
    try {
      browser.findElement(By.id("sign-in-button")).click();
      waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-notice"), "state does not match"));
    } finally {
      hosted.forgeState(false);
    }
    assertThat(browser.findElement(By.id("sign-in-notice")).getText()).startsWith("The sign-in was refused")
        .doesNotContain("forged");
    assertThat(browser.getCurrentUrl()).doesNotContain("code=", "state=").startsWith(base() + "/workbench/");
    assertThat(script("return sessionStorage.getItem('leadcycle.workbench.token')")).isNull();
    assertThat(hosted.tokensIssued()).isEqualTo(issued + 1);
    assertThat(hosted.refusals()).isEmpty();

    // A sign-in refused at the hosted pages is said in words; what the address bar claims is not repeated.
    browser.get(base() + "/workbench/?error=access_denied&error_description=Call+0900+now");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-notice"), "cancelled or refused"));
    assertThat(browser.findElement(By.id("sign-in-notice")).getText()).doesNotContain("0900");
    assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/workbench/");
  }

  @Test
  void telemarketingAndSalesWorkTheirLeadsInTheBrowser() throws Exception {
    TestDatabase.reset();
    Seeded seeded = seed();

    // Signing in by the local server's link: the token goes to sessionStorage and out of the address bar.
    browser.get(base() + "/workbench/#token=" + TOKEN);
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-lead-id='" + seeded.salesLead + "']")));
    assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN).endsWith("/workbench/#/sales");
    assertThat(script("return sessionStorage.getItem('leadcycle.workbench.token')")).isEqualTo(TOKEN);

    // The sales queue: sales-ready leads only, with contact, account, topic, context, grade, score, stage.
    WebElement salesRow = row(seeded.salesLead);
    assertThat(salesRow.getText()).contains("Ada Lovelace", "ada@acme.example", "Acme GmbH", "Pricing request",
        "Marketing page: Book a demo", "A", "35", "Sales acceptance");
    assertThat(browser.findElements(By.cssSelector("tr[data-lead-id='" + seeded.telemarketingLead + "']"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector("[data-view='sales']")).getAttribute("aria-current")).isEqualTo("page");
    assertThat(browser.findElements(By.cssSelector("tbody tr"))).hasSize(3);
    screenshot("workbench-sales-queue.png", false);

    // The telemarketing queue: the telemarketing-ready leads; the contact named like markup is text.
    browser.findElement(By.cssSelector("[data-view='telemarketing']")).click();
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-lead-id='" + seeded.xssLead + "']")));
    assertThat(row(seeded.telemarketingLead).getText()).contains("Tom Baker", "Telemarketing acceptance", "Q4 push");
    assertThat(row(seeded.xssLead).findElement(By.cssSelector("a.lead-link")).getText()).isEqualTo(XSS_NAME + " Eve");
    assertThat(row(seeded.xssLead).getText()).contains("<script>alert(2)</script>");
    assertThat(browser.findElements(By.cssSelector("main img, main script"))).isEmpty();

    // A new lead appears without a reload, and the page says so.
    String newLead = telemarketingReadyLead("nina@example.com", "Nina", "Newcomer", "Callback wanted");
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-lead-id='" + newLead + "']")));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("telemarketing-status"), "1 new lead"));
    assertThat(row(newLead).getAttribute("class")).contains("new");
    assertThat(browser.findElement(By.id("announcer")).getAttribute("aria-live")).isEqualTo("polite");

    // The telemarketing lead: accept it, record what the call revealed, ready for sales.
    row(seeded.telemarketingLead).findElement(By.cssSelector("a.lead-link")).click();
    waitForStage("Telemarketing acceptance");
    submit("accept-telemarketing-form", null);
    waitForResult("accept-telemarketing", "Accepted by telemarketing.");
    waitForStage("Telemarketing qualification");
    browser.findElement(By.id("q-budget")).sendKeys("50k EUR");
    browser.findElement(By.id("q-need")).sendKeys("replace spreadsheets");
    browser.findElement(By.id("q-notes")).sendKeys("Call back on Monday");
    submit("qualification-form", By.id("ready-for-sales"));
    waitForResult("qualification", "Qualification saved; the lead is ready for sales.");
    waitForStage("Sales acceptance");
    // The timeline names the signed-in user (the first start's token is the "admin" user's), as the header does.
    assertThat(timelineText()).contains("Telemarketing qualification", "Sales acceptance", "admin");
    assertThat(browser.findElement(By.id("signed-in")).getText()).isEqualTo("Signed in as admin (admin)");
    assertThat(browser.findElement(By.id("actor")).isDisplayed()).as("no name box for a named user").isFalse();
    assertThat(api("GET", "/v1/leads/" + seeded.telemarketingLead, null).getJsonObject("qualification"))
        .isEqualTo(new JsonObject().put("budget", "50k EUR").put("need", "replace spreadsheets")
            .put("notes", "Call back on Monday"));

    // The sales lead: stage bar, scores with the points of each rule, timeline; accept with an owner.
    browser.findElement(By.cssSelector("[data-view='sales']")).click();
    waiting.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-lead-id='" + seeded.salesLead + "'] a.lead-link")))
        .click();
    waitForStage("Sales acceptance");
    List<WebElement> stages = browser.findElements(By.cssSelector("#stage-bar li"));
    assertThat(stages).extracting(li -> li.getDomProperty("textContent")).containsExactly("Inquiry",
        "Automated marketing qualification", "Telemarketing acceptance", "Telemarketing qualification",
        "Sales acceptance (current stage)");
    assertThat(stages).extracting(li -> li.getDomAttribute("aria-current")).containsExactly(null, null, null, null, "step");
    String scores = browser.findElement(By.id("lead-scores")).getText();
    assertThat(scores).contains("Inbound B2B", "live", "35", "decision-maker", "+20", "demo-request", "+15");
    assertThat(browser.findElement(By.id("lead-flags")).getText()).contains("Sales-ready");
    assertThat(browser.findElement(By.id("lead-contact")).getText()).contains("Ada Lovelace", "CTO");
    assertThat(browser.findElement(By.id("lead-account")).getText()).contains("Acme GmbH", "Software");
    browser.findElement(By.id("owner")).sendKeys("sam");
    submit("accept-sales-form", null);
    waitForResult("accept-sales", "Accepted by sales; owner sam.");
    waiting.until(d -> timelineText().contains("sam"));
    assertThat(timelineText()).contains("Owner", "Sales accepted", "Inquiry", "Automated marketing qualification");

    // Accepting again does not fit (so it is behind "More actions" now): the API's 409 is said in words next to it.
    browser.findElement(By.cssSelector("#more-actions > summary")).click();
    submit("accept-sales-form", null);
    WebElement refused = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#accept-sales-result.error")));
    assertThat(refused.getText()).startsWith("Not possible now: ").doesNotContain("{", "409", "problem");
    screenshot("workbench-lead-detail.png", true);

    // The XSS contact's lead detail: the name is text there too.
    browser.get(base() + "/workbench/#/leads/" + seeded.xssLead);
    waitForStage("Telemarketing acceptance");
    assertThat(browser.findElement(By.id("lead-contact")).getText()).contains(XSS_NAME + " Eve");
    assertThat(browser.findElement(By.id("lead-title")).getText()).isEqualTo("<script>alert(2)</script>");
    assertThat(browser.findElements(By.cssSelector("main img, main script"))).isEmpty();

    // Configuration at a glance.
    browser.findElement(By.cssSelector("[data-view='configuration']")).click();
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("config-models"), "Inbound B2B"));
    assertThat(browser.findElement(By.id("config-forms")).getText()).contains("demo", "Book a demo", "contacts and leads",
        "not required");
    assertThat(browser.findElement(By.id("config-models")).getText()).contains("live", "30", "A 30");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("config-subscribers"), "No subscribers yet."));

    // Forgetting the token signs out.
    browser.findElement(By.id("forget-token")).click();
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("token-input")));
    assertThat(script("return sessionStorage.getItem('leadcycle.workbench.token')")).isNull();
  }

  // ---- seeding through the API ----------------------------------------------------------------------------

  private record Seeded(String salesLead, String telemarketingLead, String xssLead) {
  }

  private static Seeded seed() throws Exception {
    String model = api("POST", "/v1/scoring-models", new JsonObject("""
        {"name": "Inbound B2B", "target": "contact", "salesReadyThreshold": 30,
         "grades": [{"name": "C", "min": -1000, "max": 14}, {"name": "B", "min": 15, "max": 29},
                    {"name": "A", "min": 30, "max": 100000}],
         "rules": [{"id": "decision-maker", "kind": "demographic", "field": "jobTitle", "op": "in",
                    "value": ["CEO", "CTO"], "points": 20},
                   {"id": "demo-request", "kind": "behavioral", "interaction": "form_submitted",
                    "frequency": "at_least_once", "contextId": "demo", "points": 15},
                   {"id": "free-mail", "kind": "demographic", "field": "email", "op": "contains",
                    "value": "@gmail.", "points": -10}]}""")).getString("id");
    api("POST", "/v1/scoring-models/" + model + "/publish", null);
    api("PUT", "/v1/forms/demo", new JsonObject().put("name", "Book a demo").put("kind", "marketing_page")
        .put("requireSignature", false));
    String account = api("POST", "/v1/accounts", new JsonObject().put("name", "Acme GmbH").put("domain", "acme.example")
        .put("industry", "Software").put("employeeCount", 250)).getString("id");
    api("POST", "/v1/forms/demo/submissions", new JsonObject().put("submissionId", "s-1")
        .put("fields", new JsonObject().put("email", "ada@acme.example").put("firstName", "Ada").put("lastName", "Lovelace")
            .put("jobTitle", "CTO").put("companyName", "Acme GmbH")));
    // An unsigned submission's answer names no records: management looks them up.
    JsonObject ada = contactByEmail("ada@acme.example");
    String salesLead = ada.getJsonArray("leadIds").getString(0);
    String adaContact = ada.getString("id");
    api("PATCH", "/v1/contacts/" + adaContact, new JsonObject().put("accountId", account));
    api("PATCH", "/v1/leads/" + salesLead, new JsonObject().put("topic", "Pricing request").put("accountId", account));

    // Two more sales-ready leads for the queue: one by its score, one marked by hand.
    api("POST", "/v1/forms/demo/submissions", new JsonObject().put("submissionId", "s-2")
        .put("fields", new JsonObject().put("email", "grace@initech.example").put("firstName", "Grace")
            .put("lastName", "Hopper").put("jobTitle", "CEO").put("companyName", "Initech")));
    String grace = contactByEmail("grace@initech.example").getJsonArray("leadIds").getString(0);
    String byHand = telemarketingReadyLead("hedy@example.com", "Hedy", "Lamarr", "Frequency hopping");
    api("POST", "/v1/leads/" + byHand + "/process", new JsonObject().put("action", "mark-sales-ready"));
    String telemarketingLead = telemarketingReadyLead("tom@example.com", "Tom", "Baker", "Demo call");
    String xssLead = telemarketingReadyLead("xss@example.com", XSS_NAME, "Eve", "<script>alert(2)</script>");

    // The local server's score-recalculation timer (every second) scores the leads; Ada's reaches the threshold.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (String id : List.of(grace, salesLead)) {
      JsonObject lead = api("GET", "/v1/leads/" + id, null);
      while (!(lead.getBoolean("salesReady") && lead.getJsonArray("scores").size() == 1) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        lead = api("GET", "/v1/leads/" + id, null);
      }
      assertThat(lead.getBoolean("salesReady")).as("scored sales-ready: %s", lead).isTrue();
      assertThat(lead.getJsonArray("scores").getJsonObject(0).getInteger("score")).isEqualTo(35);
    }
    return new Seeded(salesLead, telemarketingLead, xssLead);
  }

  private static String telemarketingReadyLead(String email, String firstName, String lastName, String topic)
      throws Exception {
    String contact = api("POST", "/v1/contacts", new JsonObject().put("email", email).put("firstName", firstName)
        .put("lastName", lastName)).getString("id");
    String lead = api("POST", "/v1/leads", new JsonObject().put("topic", topic).put("contactId", contact)
        .put("context", new JsonObject().put("kind", "campaign").put("id", "q4-push").put("name", "Q4 push")))
        .getString("id");
    api("POST", "/v1/leads/" + lead + "/process", new JsonObject().put("action", "mark-telemarketing-ready")
        .put("actor", "tina"));
    return lead;
  }

  /** The contact with that email as {@code GET /v1/contacts?email=} shows it (with its open leadIds). */
  private static JsonObject contactByEmail(String email) throws Exception {
    return api("GET", "/v1/contacts?email=" + email.replace("@", "%40"), null).getJsonArray("items").getJsonObject(0);
  }

  private static JsonObject api(String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
        .header("Authorization", "Bearer " + TOKEN);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = HTTP.send(request.method(method,
        body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body.encode())).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
    return response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
  }

  // ---- the browser ----------------------------------------------------------------------------------------

  private static String base() {
    return "http://localhost:" + server.port();
  }

  private static Object script(String code) {
    return ((JavascriptExecutor) browser).executeScript(code);
  }

  private static WebElement row(String leadId) {
    return browser.findElement(By.cssSelector("tr[data-lead-id='" + leadId + "']"));
  }

  private static void submit(String formId, By button) {
    WebElement form = browser.findElement(By.id(formId));
    (button == null ? form.findElement(By.cssSelector("button[type='submit']")) : form.findElement(button)).click();
  }

  /** After an action the lead is read again; the answer shows above its actions (the action itself may have moved). */
  private static void waitForResult(String actionId, String text) {
    waiting.until(ExpectedConditions.textToBe(By.id("action-said"), text));
    assertThat(browser.findElement(By.id(actionId + "-result")).getDomProperty("textContent")).isEqualTo(text);
  }

  private static void waitForStage(String stage) {
    waiting.until(d -> {
      List<WebElement> current = d.findElements(By.cssSelector("#stage-bar li[aria-current='step']"));
      return current.size() == 1 && current.get(0).getText().startsWith(stage);
    });
  }

  private static String timelineText() {
    return browser.findElement(By.id("timeline-table")).getText();
  }

  /** A PNG of the window (or of the whole page) into docs/images, for the README. */
  private static void screenshot(String file, boolean wholePage) throws IOException {
    Dimension before = browser.manage().window().getSize();
    if (wholePage) {
      long pageHeight = (Long) script("return Math.ceil(document.documentElement.scrollHeight)");
      browser.manage().window().setSize(new Dimension(1366, (int) Math.min(Math.max(pageHeight + 120, 900), 4000)));
    }
    script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
    Path png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.createDirectories(SCREENSHOTS);
    Files.copy(png, SCREENSHOTS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    browser.manage().window().setSize(before);
  }
}
