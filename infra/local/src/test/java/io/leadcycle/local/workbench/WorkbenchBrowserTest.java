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
import java.util.ArrayList;
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
    clickFresh(By.id("forget-token"));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-notice"), "forgotten"));
    assertThat(script("return sessionStorage.getItem('leadcycle.workbench.token')")).isNull();
    clickFresh(By.id("sign-out-button"));
    waiting.until(d -> hosted.logouts() == 1);
    waiting.until(ExpectedConditions.elementToBeClickable(By.id("sign-in-button")));
    assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/workbench/");

    // An answer with a state this tab did not send is refused in words, and its code is never exchanged.
    hosted.forgeState(true);
    try {
      clickFresh(By.id("sign-in-button"));
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

    // Search: the beginning of a name, a company, without its accents; the API's q= each time.
    searchQueue("sales", "gra");
    waiting.until(d -> rowIds().equals(List.of(seeded.graceLead)));
    searchQueue("sales", "initech");
    waiting.until(d -> rowIds().equals(List.of(seeded.graceLead)));
    searchQueue("sales", "lamarr hed");
    waiting.until(d -> rowIds().equals(List.of(seeded.byHand)));
    assertThat(browser.findElement(By.id("sales-status")).getText()).startsWith("1 lead matching “lamarr hed”.");
    searchQueue("sales", "nobody");
    waiting.until(ExpectedConditions.textToBe(By.id("sales-table"), "No leads here match “nobody”."));
    // A search the API refuses is said in words, naming the box.
    searchQueue("sales", "x");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sales-status"), "cannot be listed so: Search: "));
    searchQueue("sales", "");
    waiting.until(d -> rowIds().size() == 3);

    // Each sort orders the queue as the API does; a follow-up puts Hédy first by due date, her missing score last.
    api("POST", "/v1/leads/" + seeded.byHand + "/activities", new JsonObject().put("kind", "call")
        .put("outcome", "call_back").put("followUpAt", java.time.Instant.now().plus(Duration.ofHours(3)).toString()));
    java.util.Set<List<String>> orders = new java.util.HashSet<>();
    for (String[] sort : new String[][] {{"newest", "Newest first"}, {"score", "Best score first"},
        {"grade", "Best grade first"}, {"due", "Follow-up due first"}}) {
      new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("sales-sort"))).selectByVisibleText(sort[1]);
      List<String> expected = ids(api("GET", "/v1/leads?view=sales&sort=" + sort[0], null));
      waiting.until(d -> rowIds().equals(expected));
      orders.add(expected);
    }
    assertThat(orders).as("newest and score differ here").hasSizeGreaterThanOrEqualTo(2);
    assertThat(rowIds().get(0)).isEqualTo(seeded.byHand);
    assertThat(row(seeded.byHand).findElement(By.cssSelector("td.activity")).getText()).startsWith("Call: call back, ")
        .endsWith(", admin");
    assertThat(row(seeded.byHand).findElement(By.cssSelector("td.follow-up time")).getDomAttribute("datetime"))
        .isEqualTo(api("GET", "/v1/leads/" + seeded.byHand, null).getString("followUpAt"));

    // The telemarketing queue: the telemarketing-ready leads; the contact named like markup is text.
    clickFresh(By.cssSelector("[data-view='telemarketing']"));
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
    clickFresh(By.cssSelector("[data-view='sales']"));
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

    // The account's page lists its leads (with score, grade and owner) and its contacts.
    clickFresh(By.id("account-link"));
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/accounts/" + seeded.account));
    waiting.until(ExpectedConditions.textToBe(By.id("account-title"), "Acme GmbH"));
    assertThat(browser.findElement(By.id("account-leads")).getText()).contains("Pricing request", "Sales acceptance",
        "Inbound B2B: 35 (A)", "sam", "1 lead.");
    assertThat(browser.findElement(By.id("account-contacts")).getText()).contains("Ada Lovelace", "ada@acme.example",
        "CTO", "1 contact.");
    clickFresh(By.cssSelector("#account-leads a.lead-link"));
    waitForStage("Sales acceptance");

    // Accepting again does not fit (so it is behind "More actions" now): the API's 409 is said in words next to it.
    clickFresh(By.cssSelector("#more-actions > summary"));
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
    clickFresh(By.cssSelector("[data-view='configuration']"));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("config-models"), "Inbound B2B"));
    assertThat(browser.findElement(By.id("config-forms")).getText()).contains("demo", "Book a demo", "contacts and leads",
        "not required");
    assertThat(browser.findElement(By.id("config-models")).getText()).contains("live", "30", "A 30");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("config-subscribers"), "No subscribers yet."));

    // Forgetting the token signs out.
    clickFresh(By.id("forget-token"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("token-input")));
    assertThat(script("return sessionStorage.getItem('leadcycle.workbench.token')")).isNull();
  }

  /**
   * A shift per role, with users made through {@code POST /v1/users}: a telemarketer starts at the telemarketing
   * queue, pages through it, sees only the actions of the stage, dials by a {@code tel:} link, accepts with a
   * shortcut (the lead is then in "my calls" and "mine"), picks a call outcome by key, and goes to the next lead;
   * a sales manager assigns three unassigned leads to a salesperson in bulk and disqualifies one, and a failure
   * is said in words; the salesperson finds the three in "mine", accepts and converts one, and is refused
   * assigning, in words, as a page they may not see is.
   */
  @Test
  void aTelemarketerASalesManagerAndASalespersonWorkTheirShift() throws Exception {
    TestDatabase.reset();
    JsonObject tina = user("Tina Caller", "telemarketing");
    JsonObject mia = user("Mia Manager", "sales_manager");
    JsonObject sam = user("Sam Seller", "sales");
    JsonObject sid = user("Sid Leaving", "sales");
    List<String> calls = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      calls.add(telemarketingReadyLead("call" + i + "@example.com", "Caller", "Number" + i, "Call " + i, "+49 30 1234-56" + i));
    }
    List<String> forSales = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      String lead = telemarketingReadyLead("buyer" + i + "@example.com", "Buyer", "Number" + i, "Buy " + i, null);
      api("POST", "/v1/leads/" + lead + "/process", new JsonObject().put("action", "mark-sales-ready"));
      forSales.add(lead);
    }

    // ---- The telemarketer: starts at the telemarketing queue, two leads a page here, "Load more" to the end.
    signInAs(tina.getString("token"), 2);
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/telemarketing"));
    waiting.until(ExpectedConditions.textToBe(By.id("signed-in"), "Signed in as Tina Caller (telemarketing)"));
    assertThat(navigation()).containsExactly("mine", "my_calls", "due", "telemarketing");
    waiting.until(d -> queueRows().size() == 2);
    clickFresh(By.id("telemarketing-more"));
    waiting.until(d -> queueRows().size() == 4);
    clickFresh(By.id("telemarketing-more"));
    waiting.until(d -> queueRows().size() == 5);
    waiting.until(ExpectedConditions.invisibilityOfElementLocated(By.id("telemarketing-more")));
    assertThat(browser.findElement(By.id("telemarketing-status")).getText()).startsWith("5 leads.");
    List<String> order = queueRows().stream().map(r -> r.getDomAttribute("data-lead-id")).toList();
    assertThat(order).containsExactlyInAnyOrderElementsOf(calls);
    assertThat(browser.findElements(By.cssSelector("input.select-lead"))).as("no bulk actions for telemarketing").isEmpty();

    // The first lead: only what its stage allows first; the rest behind "More actions"; phone and email as links.
    String first = order.get(0);
    String firstTopic = api("GET", "/v1/leads/" + first, null).getString("topic");
    row(first).findElement(By.cssSelector("a.lead-link")).click();
    waitForStage("Telemarketing acceptance");
    assertThat(firstActions()).containsExactly("accept-telemarketing", "disqualify");
    assertThat(browser.findElement(By.id("more-actions")).getDomProperty("open")).isEqualTo("false");
    assertThat(browser.findElements(By.cssSelector("#more-actions [data-action]"))).extracting(e -> e.getDomAttribute("data-action"))
        .containsExactly("qualification", "accept-sales", "convert", "assign", "unassign", "mark-telemarketing-ready",
            "mark-sales-ready", "move", "switch-process");
    int n = calls.indexOf(first) + 1;
    WebElement phone = browser.findElement(By.cssSelector("#lead-contact a.phone"));
    assertThat(phone.getDomAttribute("href")).isEqualTo("tel:+4930123456" + n);
    assertThat(phone.getText()).isEqualTo("+49 30 1234-56" + n);
    assertThat(browser.findElement(By.cssSelector("#lead-contact a.email")).getDomAttribute("href"))
        .isEqualTo("mailto:call" + n + "@example.com");
    assertThat(browser.findElement(By.id("lead-position")).getText()).isEqualTo("Lead 1 of 5 in telemarketing queue");

    // "?" shows the shortcuts, Esc closes them; "a" accepts: the lead is the telemarketer's, in qualification.
    keys("?");
    waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("help")));
    assertThat(browser.findElement(By.id("help")).getText()).contains("Log a call", "Next lead", "Search the queue");
    keys(org.openqa.selenium.Keys.ESCAPE);
    waiting.until(ExpectedConditions.invisibilityOfElementLocated(By.id("help")));
    keys("a");
    waitForResult("accept-telemarketing", "Accepted by telemarketing.");
    waitForStage("Telemarketing qualification");
    assertThat(browser.findElement(By.id("lead-flags")).getText()).contains("Tina Caller");
    assertThat(firstActions()).containsExactly("qualification", "disqualify");

    // "c" then "5": the call-back outcome is picked and tomorrow 09:00 is filled in; the second click saves it.
    keys("c");
    keys("5");
    WebElement callBack = browser.findElement(By.cssSelector("#log-call [data-outcome='call_back']"));
    waiting.until(d -> "true".equals(callBack.getDomAttribute("aria-pressed")));
    assertThat(browser.findElement(By.id("call-follow-up")).getDomProperty("value"))
        .isEqualTo(java.time.LocalDate.now().plusDays(1) + "T09:00");
    assertThat(browser.findElement(By.id("save-call")).getText()).isEqualTo("Save the call: call back");
    clickFresh(By.id("save-call"));
    waitForResult("log-call", "Call saved.");
    JsonObject called = api("GET", "/v1/leads/" + first, null);
    assertThat(called.getJsonObject("lastActivity").getString("outcome")).isEqualTo("call_back");
    assertThat(java.time.Instant.parse(called.getString("followUpAt")))
        .isEqualTo(java.time.LocalDate.now().plusDays(1).atTime(9, 0).atZone(java.time.ZoneId.systemDefault()).toInstant());
    WebElement callEntry = browser.findElement(By.cssSelector("#timeline-table tr.activity"));
    assertThat(callEntry.getText()).contains("Call: call back", "Follow-up: ", "Tina Caller");
    assertThat(browser.findElement(By.id("lead-flags")).getText()).contains("Call: call back, ", "Tina Caller");

    // "Add note": a note with no follow-up of its own; the call's follow-up stands.
    browser.findElement(By.id("note-text")).sendKeys("Wants the price list first");
    submit("add-note-form", null);
    waitForResult("add-note", "Note saved.");
    waiting.until(d -> d.findElements(By.cssSelector("#timeline-table tr.activity")).size() == 2);
    assertThat(browser.findElements(By.cssSelector("#timeline-table tr.activity")).get(1).getText())
        .contains("Note", "Wants the price list first", "Tina Caller");
    assertThat(api("GET", "/v1/leads/" + first, null).getString("followUpAt")).isEqualTo(called.getString("followUpAt"));

    // Typing is no shortcut: a "j" in a field stays there.
    WebElement budget = browser.findElement(By.id("q-budget"));
    budget.sendKeys("j");
    assertThat(budget.getDomProperty("value")).isEqualTo("j");
    assertThat(browser.getCurrentUrl()).endsWith("#/leads/" + first);
    budget.clear();
    keys(org.openqa.selenium.Keys.ESCAPE);

    // "j": the next lead of the queue the telemarketer came from.
    keys("j");
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/leads/" + order.get(1)));
    waitForStage("Telemarketing acceptance");
    assertThat(browser.findElement(By.id("lead-position")).getText()).isEqualTo("Lead 2 of 5 in telemarketing queue");
    clickFresh(By.id("next-lead"));
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/leads/" + order.get(2)));

    // The accepted lead is in "my calls" and in "mine", its last activity (the note) and follow-up (the call's) shown.
    clickFresh(By.cssSelector("[data-view='my_calls']"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-lead-id='" + first + "']")));
    assertThat(queueRows()).hasSize(1);
    assertThat(row(first).getText()).contains(firstTopic, "Tina Caller", "Telemarketing qualification");
    assertThat(row(first).findElement(By.cssSelector("td.activity")).getText()).startsWith("Note, ").endsWith(", Tina Caller");
    assertThat(row(first).findElement(By.cssSelector("td.follow-up time")).getDomAttribute("datetime"))
        .isEqualTo(called.getString("followUpAt"));
    assertThat(row(first).findElement(By.cssSelector("td.follow-up")).getText()).doesNotContain("(due)");

    // Due follow-ups: one a minute ago is listed at once; one due in a few seconds appears by itself when due.
    apiAs(tina.getString("token"), "POST", "/v1/leads/" + order.get(1) + "/activities", new JsonObject().put("kind", "note")
        .put("note", "Promised a call back").put("followUpAt", java.time.Instant.now().minusSeconds(60).toString()));
    apiAs(tina.getString("token"), "POST", "/v1/leads/" + order.get(2) + "/activities", new JsonObject().put("kind", "call")
        .put("outcome", "call_back").put("followUpAt", java.time.Instant.now().plusSeconds(5).toString()));
    clickFresh(By.cssSelector("[data-view='due']"));
    waiting.until(d -> rowIds().equals(List.of(order.get(1))));
    assertThat(row(order.get(1)).findElement(By.cssSelector("td.follow-up")).getText()).endsWith("(due)");
    waiting.until(d -> rowIds().equals(List.of(order.get(1), order.get(2))));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("due-status"), "1 new lead in the due follow-ups."));
    clickFresh(By.cssSelector("[data-view='mine']"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-lead-id='" + first + "']")));

    // A page the role may not see is refused in words, naming the roles that may.
    browser.get(base() + "/workbench/#/configuration");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("config-forms"),
        "Your role may not see this: it needs marketing or admin."));

    // ---- The sales manager: starts at the unassigned sales-ready leads; assigns three to Sam in one go.
    signInAs(mia.getString("token"), 200);
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/unassigned"));
    assertThat(navigation()).containsExactly("mine", "unassigned", "due", "sales");
    waiting.until(d -> queueRows().size() == 5);
    assertThat(queueRows().stream().map(r -> r.getDomAttribute("data-lead-id")).toList())
        .containsExactlyInAnyOrderElementsOf(forSales);
    WebElement owners = browser.findElement(By.id("bulk-owner"));
    waiting.until(d -> owners.findElements(By.tagName("option")).size() == 4);
    assertThat(owners.findElements(By.tagName("option"))).extracting(WebElement::getText)
        .containsExactly("Choose a salesperson…", "Mia Manager", "Sam Seller", "Sid Leaving");
    for (String lead : forSales.subList(0, 3)) {
      row(lead).findElement(By.cssSelector("input.select-lead")).click();
    }
    waiting.until(ExpectedConditions.textToBe(By.id("bulk-count"), "3 leads selected."));
    new org.openqa.selenium.support.ui.Select(owners).selectByVisibleText("Sam Seller");
    screenshot("workbench-bulk-assign.png", false);
    clickFresh(By.id("bulk-assign"));
    waiting.until(ExpectedConditions.textToBe(By.id("bulk-result"), "3 leads assigned to Sam Seller."));
    waiting.until(d -> queueRows().size() == 2);
    for (String lead : forSales.subList(0, 3)) {
      assertThat(api("GET", "/v1/leads/" + lead, null).getJsonObject("owner").getString("name")).isEqualTo("Sam Seller");
    }

    // A salesperson who left meanwhile: the assignment fails, said in words per lead; nothing changes.
    api("DELETE", "/v1/users/" + sid.getString("id"), null);
    row(forSales.get(3)).findElement(By.cssSelector("input.select-lead")).click();
    new org.openqa.selenium.support.ui.Select(owners).selectByVisibleText("Sid Leaving");
    clickFresh(By.id("bulk-assign"));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-result"), "could not be"));
    assertThat(browser.findElement(By.id("bulk-result")).getText())
        .isEqualTo("No lead was assigned to Sid Leaving. 1 could not be: Buy 4 (Buyer Number4): Not accepted: the user Sid Leaving is disabled.");
    assertThat(api("GET", "/v1/leads/" + forSales.get(3), null).getValue("owner")).isNull();

    // Disqualify in bulk, with the reason kept on the lead.
    browser.findElement(By.id("bulk-reason")).sendKeys("Duplicate of an existing deal");
    clickFresh(By.id("bulk-disqualify"));
    waiting.until(ExpectedConditions.textToBe(By.id("bulk-result"), "1 lead disqualified."));
    waiting.until(d -> queueRows().size() == 1);
    JsonObject disqualified = api("GET", "/v1/leads/" + forSales.get(3), null);
    assertThat(disqualified.getString("status")).isEqualTo("disqualified");
    assertThat(disqualified.getString("disqualificationReason")).isEqualTo("Duplicate of an existing deal");

    // ---- The salesperson: starts at "mine", with the three assigned leads; accepts and converts one.
    signInAs(sam.getString("token"), 200);
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/mine"));
    assertThat(navigation()).containsExactly("mine", "due", "sales");
    waiting.until(d -> queueRows().size() == 3);
    assertThat(queueRows().stream().map(r -> r.getDomAttribute("data-lead-id")).toList())
        .containsExactlyInAnyOrderElementsOf(forSales.subList(0, 3));
    assertThat(row(forSales.get(0)).getText()).contains("Sam Seller", "Sales acceptance");

    // "/" goes to the search, which asks the API with q= once the typing pauses; the sort asks with sort=.
    keys("/");
    assertThat(script("return document.activeElement.id")).isEqualTo("mine-q");
    keys("Buyer");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mine-status"), "3 leads matching “Buyer”."));
    assertThat(requested()).anyMatch(url -> url.contains("view=mine") && url.contains("q=Buyer"));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("mine-sort"))).selectByVisibleText("Best score first");
    waiting.until(d -> requested().stream().anyMatch(url -> url.contains("q=Buyer") && url.contains("sort=score")));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("mine-status"),
        "3 leads matching “Buyer”. Best score first. Checked"));
    // Esc leaves the field; "j" goes to the first lead of the queue, Enter would open it.
    keys(org.openqa.selenium.Keys.ESCAPE);
    keys("j");
    assertThat(script("return document.activeElement.closest('tr').dataset.leadId"))
        .isEqualTo(queueRows().get(0).getDomAttribute("data-lead-id"));
    browser.get(base() + "/workbench/#/leads/" + forSales.get(0));
    waiting.until(ExpectedConditions.textToBe(By.id("lead-title"), "Buy 1"));
    waitForStage("Sales acceptance");
    assertThat(firstActions()).containsExactly("accept-sales", "disqualify");
    assertThat(browser.findElement(By.id("owner")).getDomProperty("value")).isEqualTo("Sam Seller");
    keys("a");
    waitForResult("accept-sales", "Accepted by sales; owner Sam Seller.");
    assertThat(firstActions()).containsExactly("convert", "disqualify");
    submit("convert-form", null);
    waitForResult("convert", "Converted into an opportunity.");
    assertThat(browser.findElement(By.id("lead-actions-first")).getText()).isEqualTo("The lead is converted: it takes no more actions.");

    // Assigning is the sales manager's: behind "More actions" for a salesperson, and refused in words.
    browser.get(base() + "/workbench/#/leads/" + forSales.get(1));
    waiting.until(ExpectedConditions.textToBe(By.id("lead-title"), "Buy 2"));
    waiting.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#more-actions > summary"))).click();
    WebElement assign = browser.findElement(By.id("assign"));
    assertThat(assign.getText()).contains("Needs sales manager or admin.");
    waiting.until(d -> assign.findElements(By.cssSelector("option")).size() > 1);
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("assign-owner"))).selectByVisibleText("Mia Manager");
    submit("assign-form", null);
    waiting.until(ExpectedConditions.textToBe(By.id("assign-result"), "Your role may not do this: it needs sales manager or admin."));
    assertThat(api("GET", "/v1/leads/" + forSales.get(1), null).getJsonObject("owner").getString("name")).isEqualTo("Sam Seller");

    // The contact's page: its facts and its open leads with their owner; the lead links back.
    String buyer = api("GET", "/v1/leads/" + forSales.get(1), null).getString("contactId");
    clickFresh(By.id("contact-link"));
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/contacts/" + buyer));
    waiting.until(ExpectedConditions.textToBe(By.id("contact-title"), "Buyer Number2"));
    assertThat(browser.findElement(By.id("contact-leads")).getText()).contains("Buy 2", "Sales acceptance", "Sam Seller");
    assertThat(browser.findElement(By.cssSelector("#contact-facts a.email")).getDomAttribute("href"))
        .isEqualTo("mailto:buyer2@example.com");

    // Someone with no role yet: signed in, and each queue says in words who may see it.
    signInAs(api("POST", "/v1/users", new JsonObject().put("name", "Nora New").put("roles", new io.vertx.core.json.JsonArray()))
        .getString("token"), 200);
    waiting.until(ExpectedConditions.textToBe(By.id("signed-in"), "Signed in as Nora New (no role yet)"));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sales-status"),
        "Your role may not see this queue: it needs marketing, telemarketing, sales, sales manager or admin."));
    assertThat(navigation()).isEmpty();
  }

  /**
   * The day of the issue's "done when", at full size: 2,000 telemarketing-ready leads and 400 sales-ready ones,
   * imported as CSV and moved on through the API as marketing would. The telemarketer pages to the end of the
   * 2,000-lead queue (whose poll then reads its first page only) and works a run of leads by keyboard alone; the
   * sales manager assigns 350 leads in two bulk actions to two salespeople and disqualifies 50 in one; each
   * salesperson finds theirs in "mine" and works through several with "next lead", converting and disqualifying.
   */
  /** Every user a test made: they outlive the database reset between tests, so each leaves after its test. */
  private static final List<JsonObject> leaving = new ArrayList<>();

  @Test
  void aTwoThousandLeadDayIsWorkedByEachRole() throws Exception {
    TestDatabase.reset();
    JsonObject tara = user("Tara Dialer", "telemarketing");
    JsonObject max = user("Max Manager", "sales_manager");
    JsonObject sue = user("Sue Closer", "sales");
    JsonObject sven = user("Sven Seller", "sales");
    long seeding = System.nanoTime();
    List<String> calls = importLeads("fair-2026", "caller", 2000);
    List<String> sales = importLeads("webinar-2026", "buyer", 400);
    inParallel(calls, lead -> api("POST", "/v1/leads/" + lead + "/process", new JsonObject().put("action", "mark-telemarketing-ready")));
    inParallel(sales, lead -> api("POST", "/v1/leads/" + lead + "/process", new JsonObject().put("action", "mark-sales-ready")));
    System.out.printf("seeded 2,400 leads through the API in %d ms%n", (System.nanoTime() - seeding) / 1_000_000);

    // ---- The telemarketer: the whole queue, 200 a page, "Load more" to its end.
    long paging = System.nanoTime();
    signInAs(tara.getString("token"), 200);
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/telemarketing"));
    script("performance.setResourceTimingBufferSize(20000)");
    waiting.until(d -> rowCount() == 200);
    for (int loaded = 400; loaded <= 2000; loaded += 200) {
      int expected = loaded;
      waiting.until(ExpectedConditions.elementToBeClickable(By.id("telemarketing-more"))).click();
      waiting.until(d -> rowCount() == expected);
    }
    waiting.until(ExpectedConditions.invisibilityOfElementLocated(By.id("telemarketing-more")));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("telemarketing-status"), "2,000 leads."));
    assertThat(rowIds()).containsExactlyInAnyOrderElementsOf(calls);
    System.out.printf("paged to the end of 2,000 leads in %d ms%n", (System.nanoTime() - paging) / 1_000_000);
    // Each page's contacts and accounts come in a request or two per kind (ids=, 100 at a time), not one per row:
    // 2,000 rows with 2,000 contacts make 20 contact look-ups at most, not 2,000.
    List<String> contactLookups = requested().stream().filter(url -> url.contains("/v1/contacts")).toList();
    List<String> accountLookups = requested().stream().filter(url -> url.contains("/v1/accounts")).toList();
    assertThat(contactLookups).isNotEmpty().hasSizeLessThanOrEqualTo(20).allMatch(url -> url.contains("/v1/contacts?ids="));
    assertThat(accountLookups).hasSizeLessThanOrEqualTo(20).allMatch(url -> url.contains("/v1/accounts?ids="));
    // ... and every row still shows its contact's name.
    assertThat(script("return [...document.querySelectorAll('#telemarketing-table tbody a.lead-link')]"
        + ".filter((a) => !a.textContent.startsWith('Caller ')).length")).isEqualTo(0L);

    // With 2,000 leads loaded the poll reads the first page only, not ten.
    script("performance.clearResourceTimings()");
    waiting.until(d -> requested().stream().anyMatch(url -> url.contains("view=telemarketing")));
    Thread.sleep(500);
    assertThat(requested().stream().filter(url -> url.contains("/v1/leads?")).toList())
        .hasSize(1).allMatch(url -> !url.contains("after="));

    // A run of leads by keyboard alone: j to the first row, Enter opens it, a accepts, c and 2 log "no answer",
    // Enter saves the call, j goes on to the next lead of the queue.
    List<String> order = rowIds();
    keys("j");
    keys(org.openqa.selenium.Keys.ENTER);
    for (int i = 0; i < 6; i++) {
      String lead = order.get(i);
      waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/leads/" + lead));
      waiting.until(ExpectedConditions.textToBe(By.id("lead-position"), "Lead " + (i + 1) + " of 2000 in telemarketing queue"));
      waitForStage("Telemarketing acceptance");
      keys("a");
      waitForResult("accept-telemarketing", "Accepted by telemarketing.");
      keys("c");
      keys("2");
      waiting.until(ExpectedConditions.textToBe(By.id("save-call"), "Save the call: no answer"));
      keys(org.openqa.selenium.Keys.ENTER);
      waitForResult("log-call", "Call saved.");
      keys("j");
    }
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/leads/" + order.get(6)));
    for (String lead : order.subList(0, 6)) {
      JsonObject worked = api("GET", "/v1/leads/" + lead, null);
      assertThat(worked.getString("stage")).isEqualTo("telemarketing_qualification");
      assertThat(worked.getJsonObject("owner").getString("name")).isEqualTo("Tara Dialer");
      assertThat(worked.getJsonObject("lastActivity").getString("outcome")).isEqualTo("no_answer");
    }
    clickFresh(By.cssSelector("[data-view='my_calls']"));
    waiting.until(d -> rowIds().size() == 6);
    assertThat(rowIds()).containsExactlyInAnyOrderElementsOf(order.subList(0, 6));

    // ---- The sales manager: 200 to Sue in one go (every lead shown), then 150 to Sven, then 50 disqualified.
    signInAs(max.getString("token"), 200);
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/unassigned"));
    waiting.until(d -> rowCount() == 200);
    WebElement owners = browser.findElement(By.id("bulk-owner"));
    // Users of other tests may be listed too (users outlive a test's reset).
    waiting.until(d -> owners.getText().contains("Sue Closer") && owners.getText().contains("Sven Seller"));
    clickFresh(By.id("select-all"));
    waiting.until(ExpectedConditions.textToBe(By.id("bulk-count"), "200 leads selected."));
    List<String> toSue = rowIds();
    new org.openqa.selenium.support.ui.Select(owners).selectByVisibleText("Sue Closer");
    clickFresh(By.id("bulk-assign"));
    waiting.until(ExpectedConditions.textToBe(By.id("bulk-result"), "200 leads assigned to Sue Closer."));
    waiting.until(d -> rowCount() == 200 && java.util.Collections.disjoint(rowIds(), toSue));
    List<String> rest = rowIds();
    assertThat(rest).containsExactlyInAnyOrderElementsOf(sales.stream().filter(id -> !toSue.contains(id)).toList());
    clickFresh(By.id("select-all"));
    waiting.until(ExpectedConditions.textToBe(By.id("bulk-count"), "200 leads selected."));
    List<String> toDisqualify = rest.subList(150, 200);
    for (String lead : toDisqualify) {
      row(lead).findElement(By.cssSelector("input.select-lead")).click();
    }
    waiting.until(ExpectedConditions.textToBe(By.id("bulk-count"), "150 leads selected."));
    new org.openqa.selenium.support.ui.Select(owners).selectByVisibleText("Sven Seller");
    clickFresh(By.id("bulk-assign"));
    waiting.until(ExpectedConditions.textToBe(By.id("bulk-result"), "150 leads assigned to Sven Seller."));
    waiting.until(d -> rowIds().size() == 50);
    clickFresh(By.id("select-all"));
    browser.findElement(By.id("bulk-reason")).sendKeys("Students, not buyers");
    clickFresh(By.id("bulk-disqualify"));
    waiting.until(ExpectedConditions.textToBe(By.id("bulk-result"), "50 leads disqualified."));
    waiting.until(ExpectedConditions.textToBe(By.id("unassigned-table"), "No leads here right now."));
    assertThat(api("GET", "/v1/leads/" + toDisqualify.get(0), null).getString("disqualificationReason"))
        .isEqualTo("Students, not buyers");

    // ---- Each salesperson: their leads in "mine"; next lead after next, accepting, converting, disqualifying.
    for (JsonObject seller : List.of(sue, sven)) {
      String name = seller.getString("name");
      List<String> theirs = seller == sue ? toSue : rest.subList(0, 150);
      signInAs(seller.getString("token"), 200);
      waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/mine"));
      waiting.until(d -> rowCount() == theirs.size());
      assertThat(rowIds()).containsExactlyInAnyOrderElementsOf(theirs);
      List<String> mine = rowIds();
      keys("j");
      keys(org.openqa.selenium.Keys.ENTER);
      for (int i = 0; i < 4; i++) {
        waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/leads/" + mine.get(i)));
        waiting.until(ExpectedConditions.textToBe(By.id("lead-position"), "Lead " + (i + 1) + " of " + theirs.size()
            + " in my leads"));
        waitForStage("Sales acceptance");
        assertThat(browser.findElement(By.id("owner")).getDomProperty("value")).isEqualTo(name);
        keys("a");
        waitForResult("accept-sales", "Accepted by sales; owner " + name + ".");
        if (i == 2) {
          browser.findElement(By.id("disqualify-reason")).sendKeys("No budget this year");
          submit("disqualify-form", null);
          waitForResult("disqualify", "Disqualified.");
        } else {
          submit("convert-form", null);
          waitForResult("convert", "Converted into an opportunity.");
        }
        clickFresh(By.id("next-lead"));
      }
      waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/leads/" + mine.get(4)));
      assertThat(api("GET", "/v1/leads/" + mine.get(0), null).getString("status")).isEqualTo("converted");
      assertThat(api("GET", "/v1/leads/" + mine.get(2), null).getString("status")).isEqualTo("disqualified");
      clickFresh(By.id("back-to-queue"));
      waiting.until(d -> rowCount() == theirs.size() - 4);
    }
  }

  /**
   * A lead on its own process, the worked example of docs/lead-process.md, defined and published through the API:
   * its stage bar shows the process's stages; the telemarketer accepts it in "Call queue", is told "budget" is
   * missing when completing "Qualification call", records it (a value the API refuses is said on its field),
   * completes into "Technical evaluation", fills its required user and yes/no fields and completes into "Sales".
   * A later stage's fields are read-only. The sales manager's "Move to a stage" lists the process's stages and
   * "Switch process" puts the lead on the default process; a default-process lead shows its five stages and its
   * qualification findings as the fields of telemarketing qualification.
   */
  @Test
  void aLeadOnItsOwnProcessIsWalkedThroughItsStagesAndFields() throws Exception {
    TestDatabase.reset();
    JsonObject tina = user("Tina Caller", "telemarketing");
    JsonObject mia = user("Mia Manager", "sales_manager");
    String process = api("POST", "/v1/processes", enterpriseDeals()).getString("id");
    api("POST", "/v1/processes/" + process + "/publish", null);
    String contact = api("POST", "/v1/contacts", new JsonObject().put("email", "pat@plant.example").put("firstName", "Pat")
        .put("lastName", "Plant")).getString("id");
    String lead = api("POST", "/v1/leads", new JsonObject().put("topic", "Plant rollout").put("contactId", contact)
        .put("processId", process).put("context", new JsonObject().put("kind", "campaign").put("id", "q1"))).getString("id");
    api("POST", "/v1/leads/" + lead + "/process", new JsonObject().put("action", "mark-telemarketing-ready"));

    // The telemarketer: the stage bar is the process's; the telemarketing step acts on "Call queue".
    signInAs(tina.getString("token"), 200);
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/telemarketing"));
    browser.get(base() + "/workbench/#/leads/" + lead);
    waitForStage("Call queue");
    assertThat(browser.findElements(By.cssSelector("#stage-bar li"))).extracting(li -> li.getDomProperty("textContent"))
        .containsExactly("New inquiry", "Scoring", "Call queue (current stage)", "Qualification call", "Technical evaluation",
            "Sales");
    assertThat(firstActions()).containsExactly("accept-telemarketing", "disqualify");
    // A later stage's fields are shown, not editable.
    clickFresh(By.cssSelector("#stage-bar button[data-stage='Technical evaluation']"));
    waiting.until(ExpectedConditions.textToBe(By.id("stage-fields-title"), "Technical evaluation: a later stage"));
    assertThat(browser.findElement(By.id("lead-stage-fields")).getText()).contains("evaluation owner (required to complete)",
        "security review passed (required to complete)", "findings", "decision date",
        "A later stage: its fields are set once the lead gets there.");
    assertThat(browser.findElements(By.cssSelector("#lead-stage-fields input, #lead-stage-fields select, #complete-stage"))).isEmpty();

    submit("accept-telemarketing-form", null);
    waitForResult("accept-telemarketing", "Accepted by telemarketing.");
    waitForStage("Qualification call");
    waiting.until(ExpectedConditions.textToBe(By.id("stage-fields-title"), "Qualification call: the current stage"));
    assertThat(firstActions()).containsExactly("ready-for-sales", "disqualify");

    // Complete stage with budget empty: the API's 409 names it, and the field is marked.
    clickFresh(By.id("complete-stage"));
    waiting.until(ExpectedConditions.textToBe(By.id("complete-stage-result"),
        "Qualification call cannot be completed yet: fill in budget."));
    assertThat(stageField("budget").getDomAttribute("class")).contains("missing");
    assertThat(stageField("budget").getText()).contains("Required to complete the stage.");

    // A value the API refuses is said on its field (the page offers only the options; one is forged here).
    WebElement budget = stageField("budget").findElement(By.cssSelector("input"));
    budget.sendKeys("120000");
    script("const s = document.querySelector(\"#lead-stage-fields [data-field='timeframe'] select\");"
        + "s.appendChild(new Option('someday', 'someday')); s.value = 'someday';");
    clickFresh(By.id("save-stage-fields"));
    waiting.until(ExpectedConditions.textToBe(By.id("stage-fields-result"), "Some fields were not accepted: see each."));
    assertThat(stageField("timeframe").findElement(By.cssSelector(".field-error")).getText()).isNotBlank();
    assertThat(stageField("timeframe").getDomAttribute("class")).contains("missing");
    assertThat(api("GET", "/v1/leads/" + lead, null).getJsonObject("stageFields").getJsonObject("Qualification call"))
        .as("nothing saved").isNull();
    new org.openqa.selenium.support.ui.Select(stageField("timeframe").findElement(By.cssSelector("select")))
        .selectByVisibleText("this quarter");
    clickFresh(By.id("save-stage-fields"));
    waitForResult("stage-fields", "Fields of Qualification call saved.");
    assertThat(api("GET", "/v1/leads/" + lead, null).getJsonObject("stageFields").getJsonObject("Qualification call"))
        .isEqualTo(new JsonObject().put("budget", 120000).put("timeframe", "this quarter"));
    assertThat(timelineText()).contains("stageFields.Qualification call.budget", "120000");

    clickFresh(By.id("complete-stage"));
    waitForResult("complete-stage", "Qualification call completed: the lead is in Technical evaluation.");
    waitForStage("Technical evaluation");
    waiting.until(ExpectedConditions.textToBe(By.id("stage-fields-title"), "Technical evaluation: the current stage"));
    // A custom stage: no built-in step moves it on; complete stage does.
    assertThat(firstActions()).containsExactly("disqualify");

    // Its required fields: a person (from GET /v1/users) and a yes/no; Complete stage saves them first.
    waiting.until(d -> stageField("evaluation owner").findElements(By.cssSelector("select option")).stream()
        .anyMatch(option -> option.getText().equals("Mia Manager")));
    new org.openqa.selenium.support.ui.Select(stageField("evaluation owner").findElement(By.cssSelector("select")))
        .selectByVisibleText("Mia Manager");
    new org.openqa.selenium.support.ui.Select(stageField("security review passed").findElement(By.cssSelector("select")))
        .selectByVisibleText("yes");
    // A date box types by the browser's locale; its value is the ISO date the page sends.
    script("arguments[0].value = '2027-03-15'", stageField("decision date").findElement(By.cssSelector("input")));
    screenshot("workbench-stage-fields.png", false);
    clickFresh(By.id("complete-stage"));
    waitForResult("complete-stage", "Technical evaluation completed: the lead is in Sales.");
    waitForStage("Sales");
    JsonObject walked = api("GET", "/v1/leads/" + lead, null);
    assertThat(walked.getBoolean("salesReady")).isTrue();
    assertThat(walked.getJsonObject("stageFields").getJsonObject("Technical evaluation")).isEqualTo(new JsonObject()
        .put("evaluation owner", mia.getString("id")).put("security review passed", true).put("decision date", "2027-03-15"));
    // An earlier stage stays editable; its values are shown, the user by name.
    clickFresh(By.cssSelector("#stage-bar button[data-stage='Technical evaluation']"));
    waiting.until(ExpectedConditions.textToBe(By.id("stage-fields-title"), "Technical evaluation: a passed stage"));
    waiting.until(d -> "Mia Manager".equals(new org.openqa.selenium.support.ui.Select(stageField("evaluation owner")
        .findElement(By.cssSelector("select"))).getFirstSelectedOption().getText()));
    assertThat(browser.findElements(By.id("complete-stage"))).as("only the current stage completes").isEmpty();

    // The sales manager: "Move to a stage" lists this process's stages; "Switch process" to the default one.
    signInAs(mia.getString("token"), 200);
    waiting.until(ExpectedConditions.urlToBe(base() + "/workbench/#/unassigned"));
    // The queues filter by process: the stage filter then offers its stages, keeping the chosen stage's role
    // (the unassigned queue's sales acceptance is "Sales" there); the stage column shows the process's names.
    waiting.until(d -> d.findElements(By.cssSelector("#unassigned-process option")).stream()
        .anyMatch(option -> option.getText().equals("Enterprise deals")));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("unassigned-process"))).selectByVisibleText("Enterprise deals");
    waiting.until(d -> requested().stream().anyMatch(url -> url.contains("view=unassigned") && url.contains("processId=" + process)
        && url.contains("stage=Sales")));
    assertThat(new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("unassigned-stage"))).getOptions())
        .extracting(WebElement::getText).containsExactly("Any stage", "New inquiry", "Scoring", "Call queue", "Qualification call",
            "Technical evaluation", "Sales");
    assertThat(new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("unassigned-stage"))).getFirstSelectedOption()
        .getText()).isEqualTo("Sales");
    clickFresh(By.cssSelector("[data-view='sales']"));
    waiting.until(d -> d.findElements(By.cssSelector("#sales-process option")).stream()
        .anyMatch(option -> option.getText().equals("Enterprise deals")));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("sales-process"))).selectByVisibleText("Enterprise deals");
    waiting.until(d -> requested().stream().anyMatch(url -> url.contains("view=sales") && url.contains("processId=" + process)));
    waiting.until(d -> rowIds().equals(List.of(lead)));
    assertThat(row(lead).getText()).contains("Plant rollout", "Sales");
    browser.get(base() + "/workbench/#/leads/" + lead);
    waitForStage("Sales");
    clickFresh(By.cssSelector("#more-actions > summary"));
    assertThat(new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("move-stage"))).getOptions())
        .extracting(WebElement::getText).containsExactly("New inquiry", "Scoring", "Call queue", "Qualification call",
            "Technical evaluation", "Sales");
    WebElement target = browser.findElement(By.id("switch-process-target"));
    waiting.until(d -> target.findElements(By.cssSelector("option")).size() == 2);
    new org.openqa.selenium.support.ui.Select(target).selectByVisibleText("Default lead process");
    browser.findElement(By.id("switch-process-reason")).sendKeys("standard deal after all");
    submit("switch-process-form", null);
    waitForResult("switch-process", "Switched to Default lead process: the lead is in Sales acceptance.");
    waitForStage("Sales acceptance");
    assertThat(browser.findElements(By.cssSelector("#stage-bar li"))).hasSize(5);
    assertThat(api("GET", "/v1/leads/" + lead, null).getString("processId")).isEqualTo("default");

    // A default-process lead: the five stages, and the qualification findings as telemarketing qualification's fields.
    String standard = telemarketingReadyLead("dora@example.com", "Dora", "Default", "Standard deal");
    api("PATCH", "/v1/leads/" + standard, new JsonObject().put("qualification", new JsonObject().put("budget", "50k EUR")));
    browser.get(base() + "/workbench/#/leads/" + standard);
    waitForStage("Telemarketing acceptance");
    assertThat(browser.findElements(By.cssSelector("#stage-bar li"))).extracting(li -> li.getDomProperty("textContent"))
        .containsExactly("Inquiry", "Automated marketing qualification", "Telemarketing acceptance (current stage)",
            "Telemarketing qualification", "Sales acceptance");
    clickFresh(By.cssSelector("#stage-bar button[data-stage='telemarketing_qualification']"));
    waiting.until(ExpectedConditions.textToBe(By.id("stage-fields-title"), "Telemarketing qualification: a later stage"));
    assertThat(browser.findElement(By.id("lead-stage-fields")).getText()).contains("budget", "50k EUR", "authority", "need",
        "timeframe", "notes");
  }

  /** A field of the stage fields panel, by name: its label, control (or value) and error. */
  private static WebElement stageField(String name) {
    return browser.findElement(By.cssSelector("#lead-stage-fields .stage-field[data-field='" + name + "']"));
  }

  /** The users a test made leave (one may have left already), so other tests' owner pickers list only theirs. */
  @AfterEach
  void theTestsUsersLeave() throws Exception {
    for (JsonObject user : leaving) {
      HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/users/" + user.getString("id")))
          .header("Authorization", "Bearer " + TOKEN).DELETE().build(), BodyHandlers.discarding());
    }
    leaving.clear();
  }

  /**
   * Clicks the element {@code by} finds as it is now: the page re-renders as it polls and after actions, so an
   * element found a moment ago may be gone (a stale element was not clicked, so finding it again is safe).
   */
  private void clickFresh(By by) {
    waiting.until(d -> {
      d.findElement(by).click();
      return true;
    });
  }

  /**
   * The workbench's action rules (rules.js) are the process machine's and the permission table's: for every
   * consistent state of a lead in the default process, and in the docs' worked example (custom "Technical
   * evaluation" stage, telemarketing stages under other names), and every action, the module allows what
   * ProcessMachine allows on that process version (complete-stage with every field filled: missing fields are the
   * API's to name), and names the roles Permissions grants.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theWorkbenchsActionRulesAreTheProcessMachinesAndThePermissionTables() {
    browser.get(base() + "/workbench/");
    String rules = ((String) script("return document.querySelector('script[type=module]').src")).replace("app.js", "rules.js");
    io.leadcycle.process.ProcessVersion example = new io.leadcycle.process.ProcessVersion(
        "00000000-0000-4000-8000-000000000001", 1, io.leadcycle.process.ProcessDefinition.parse(io.leadcycle.store.Rows.plainMap(enterpriseDeals())));
    for (io.leadcycle.process.ProcessVersion version : List.of(io.leadcycle.process.ProcessVersion.DEFAULT, example)) {
      rulesAgreeWithTheMachine(rules, version);
    }
  }

  @SuppressWarnings("unchecked")
  private static void rulesAgreeWithTheMachine(String rules, io.leadcycle.process.ProcessVersion version) {
    io.leadcycle.process.ProcessMachine machine = new io.leadcycle.process.ProcessMachine(version);
    List<String> stages = version.stageNames();
    // Every required field filled, so complete-stage is refused only for the rules rules.js knows.
    Map<String, Map<String, Object>> filled = new java.util.HashMap<>();
    version.definition().stages().forEach(stage -> {
      Map<String, Object> values = new java.util.HashMap<>();
      stage.fields().forEach(field -> values.put(field.name(), "filled"));
      filled.put(stage.name(), values);
    });
    List<Map<String, Object>> cases = new java.util.ArrayList<>();
    List<Boolean> expected = new java.util.ArrayList<>();
    List<String> actions = new java.util.ArrayList<>();
    for (io.leadcycle.process.ProcessAction action : io.leadcycle.process.ProcessAction.values()) {
      if (action != io.leadcycle.process.ProcessAction.FIRST_SCORED) {
        actions.add(action.wireName());
      }
    }
    actions.add(io.leadcycle.process.ProcessMachine.COMPLETE_STAGE);
    for (String stage : stages) {
      for (io.leadcycle.domain.LeadStatus status : io.leadcycle.domain.LeadStatus.values()) {
        for (int flags = 0; flags < 32; flags++) {
          boolean tmReady = (flags & 1) != 0, tmAccepted = (flags & 2) != 0, salesReady = (flags & 4) != 0,
              salesAccepted = (flags & 8) != 0;
          String ownerId = (flags & 16) != 0 ? "sam" : null;
          io.leadcycle.domain.LeadState state = new io.leadcycle.domain.LeadState(stage, status, tmReady, tmAccepted,
              salesReady, salesAccepted, ownerId);
          if (!machine.isConsistent(state)) {
            continue;
          }
          for (String action : actions) {
            String other = stages.stream().filter(s -> !s.equals(stage)).findFirst().orElseThrow();
            boolean allowed;
            try {
              if (action.equals(io.leadcycle.process.ProcessMachine.COMPLETE_STAGE)) {
                machine.completeStage(state, filled, null);
              } else {
                machine.apply(state, new io.leadcycle.process.ProcessRequest(
                    io.leadcycle.process.ProcessAction.fromWireName(action).orElseThrow(), "sam", other, "why"));
              }
              allowed = true;
            } catch (io.leadcycle.process.ProcessConflict conflict) {
              allowed = false;
            }
            Map<String, Object> lead = new java.util.HashMap<>();
            lead.put("stage", stage);
            lead.put("status", status.wireName());
            lead.put("telemarketingReady", tmReady);
            lead.put("telemarketingAccepted", tmAccepted);
            lead.put("salesReady", salesReady);
            lead.put("salesAccepted", salesAccepted);
            lead.put("ownerId", ownerId);
            cases.add(Map.of("action", action, "lead", lead));
            expected.add(allowed);
          }
        }
      }
    }
    assertThat(cases).hasSizeGreaterThan(50);
    // The process as GET /v1/processes/{id}/versions/{n} answers it.
    Map<String, Object> process = new java.util.HashMap<>(version.definition().toBody());
    process.put("processId", version.processId());
    process.put("version", version.version());
    Map<String, Object> answer = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
        const [url, cases, process, done] = arguments;
        import(url).then((rules) => done({
          allows: cases.map((c) => rules.processAllows(c.action, c.lead, process)),
          firstImpliesAllowed: cases.every((c) => !rules.fitsStage(c.action, c.lead, process)
            || rules.processAllows(c.action, c.lead, process)),
          roles: rules.ACTION_ROLES,
        })).catch((error) => done({error: String(error)}));""", rules, cases, process);
    assertThat(answer).doesNotContainKey("error");
    List<Boolean> allows = (List<Boolean>) answer.get("allows");
    for (int i = 0; i < cases.size(); i++) {
      assertThat(allows.get(i)).as("rules.js on %s in %s", cases.get(i), version.label()).isEqualTo(expected.get(i));
    }
    assertThat(answer.get("firstImpliesAllowed")).isEqualTo(true);
    Map<String, List<String>> roles = (Map<String, List<String>>) answer.get("roles");
    Map<String, List<String>> table = new java.util.LinkedHashMap<>();
    io.leadcycle.http.Permissions.actions().forEach((action, rule) ->
        table.put(action, rule.granted().stream().map(io.leadcycle.http.Role::wireName).toList()));
    table.put("qualify", io.leadcycle.http.Permissions.route("PATCH /v1/leads/{leadId}").granted().stream()
        .map(io.leadcycle.http.Role::wireName).toList());
    assertThat(roles).isEqualTo(table);
  }

  /** The worked example of docs/lead-process.md: a technical evaluation between telemarketing and sales. */
  private static JsonObject enterpriseDeals() {
    return new JsonObject("""
        {"name": "Enterprise deals",
         "stages": [
           {"name": "New inquiry", "role": "inquiry"},
           {"name": "Scoring", "role": "automated_marketing_qualification"},
           {"name": "Call queue", "role": "telemarketing_acceptance"},
           {"name": "Qualification call", "role": "telemarketing_qualification", "fields": [
             {"name": "budget", "type": "number", "requiredToComplete": true},
             {"name": "timeframe", "type": "choice", "options": ["this quarter", "this year", "later"]}]},
           {"name": "Technical evaluation", "role": "custom", "fields": [
             {"name": "evaluation owner", "type": "user", "requiredToComplete": true},
             {"name": "security review passed", "type": "boolean", "requiredToComplete": true},
             {"name": "findings", "type": "long_text"},
             {"name": "decision date", "type": "date"}]},
           {"name": "Sales", "role": "sales_acceptance"}]}""");
  }

  // ---- seeding through the API ----------------------------------------------------------------------------

  private record Seeded(String salesLead, String telemarketingLead, String xssLead, String graceLead, String byHand,
      String account) {
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
    String byHand = telemarketingReadyLead("hedy@example.com", "Hédy", "Lämarr", "Frequency hopping");
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
    return new Seeded(salesLead, telemarketingLead, xssLead, grace, byHand, account);
  }

  private static String telemarketingReadyLead(String email, String firstName, String lastName, String topic)
      throws Exception {
    return telemarketingReadyLead(email, firstName, lastName, topic, null);
  }

  private static String telemarketingReadyLead(String email, String firstName, String lastName, String topic, String phone)
      throws Exception {
    String contact = api("POST", "/v1/contacts", new JsonObject().put("email", email).put("firstName", firstName)
        .put("lastName", lastName).put("phone", phone)).getString("id");
    String lead = api("POST", "/v1/leads", new JsonObject().put("topic", topic).put("contactId", contact)
        .put("context", new JsonObject().put("kind", "campaign").put("id", "q4-push").put("name", "Q4 push")))
        .getString("id");
    api("POST", "/v1/leads/" + lead + "/process", new JsonObject().put("action", "mark-telemarketing-ready")
        .put("actor", "tina"));
    return lead;
  }

  /**
   * {@code count} leads imported from one CSV file (the import API, as marketing brings a fair's list), each with
   * its contact; answers their ids.
   */
  private static List<String> importLeads(String context, String who, int count) throws Exception {
    StringBuilder csv = new StringBuilder("Email,First Name,Last Name,Company,Phone,Topic\n");
    for (int i = 1; i <= count; i++) {
      csv.append(who).append(i).append("@").append(context).append(".example,").append(Character.toUpperCase(who.charAt(0)))
          .append(who.substring(1)).append(",Number").append(i).append(",Company ").append(i % 50).append(",+49 30 ")
          .append(1_000_000 + i).append(",").append(context).append(" lead ").append(i).append("\n");
    }
    HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/imports?entity=leads&fileName="
        + context + ".csv")).header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/csv")
        .POST(BodyPublishers.ofString(csv.toString())).build(), BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String job = new JsonObject(accepted.body()).getString("id");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonObject done = api("GET", "/v1/imports/" + job, null);
    while (!done.getString("status").startsWith("completed") && System.nanoTime() < deadline) {
      Thread.sleep(100);
      done = api("GET", "/v1/imports/" + job, null);
    }
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("completed");
    List<String> ids = new java.util.ArrayList<>();
    String next = null;
    do {
      JsonObject page = api("GET", "/v1/leads?sort=created&limit=200" + (next == null ? "" : "&after="
          + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8)), null);
      page.getJsonArray("items").forEach(item -> {
        JsonObject lead = (JsonObject) item;
        if (context.equals(lead.getJsonObject("context").getString("id")) || (context + ".csv").equals(
            lead.getJsonObject("context").getString("id"))) {
          ids.add(lead.getString("id"));
        }
      });
      next = page.getString("next");
    } while (next != null);
    assertThat(ids).hasSize(count);
    return ids;
  }

  private interface ApiCall {
    void on(String lead) throws Exception;
  }

  /** Calls the API for each lead, eight at a time, as several people at once would. */
  private static void inParallel(List<String> leads, ApiCall call) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (String lead : leads) {
        done.add(pool.submit(() -> {
          call.on(lead);
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** A user with one role, made by the admin through {@code POST /v1/users}: {@code {id, name, roles, token}}. */
  private static JsonObject user(String name, String role) throws Exception {
    JsonObject user = api("POST", "/v1/users", new JsonObject().put("name", name)
        .put("roles", new io.vertx.core.json.JsonArray().add(role)));
    leaving.add(user);
    return user;
  }

  /** The contact with that email as {@code GET /v1/contacts?email=} shows it (with its open leadIds). */
  private static JsonObject contactByEmail(String email) throws Exception {
    return api("GET", "/v1/contacts?email=" + email.replace("@", "%40"), null).getJsonArray("items").getJsonObject(0);
  }

  private static JsonObject api(String method, String path, JsonObject body) throws Exception {
    return apiAs(TOKEN, method, path, body);
  }

  /** A call with a user's own token (the follow-ups of an activity are the caller's). */
  private static JsonObject apiAs(String token, String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
        .header("Authorization", "Bearer " + token);
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

  private static Object script(String code, Object... arguments) {
    return ((JavascriptExecutor) browser).executeScript(code, arguments);
  }

  /** Signs in with a user's token by the link, in a fresh tab state, with queue pages of {@code pageSize} leads. */
  private static void signInAs(String token, int pageSize) {
    // The tab's storage is set on a file of the same origin that runs no page, so no earlier sign-in is running.
    browser.get(base() + "/workbench/config.json");
    script("sessionStorage.clear(); sessionStorage.setItem('leadcycle.workbench.pageSize', arguments[0])", String.valueOf(pageSize));
    browser.get(base() + "/workbench/#token=" + token);
  }

  private static List<String> navigation() {
    return browser.findElements(By.cssSelector("#nav-list [data-view]")).stream().map(a -> a.getDomAttribute("data-view")).toList();
  }

  /** The lead ids of the queue's rows, in their order (read in the page: thousands of rows are one answer). */
  @SuppressWarnings("unchecked")
  private static List<String> rowIds() {
    return (List<String>) script("return [...document.querySelectorAll('main tbody tr[data-lead-id]')].map((r) => r.dataset.leadId)");
  }

  private static long rowCount() {
    return (Long) script("return document.querySelectorAll('main tbody tr[data-lead-id]').length");
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  /** Types {@code words} into queue {@code name}'s search box (replacing what was there) and sends it. */
  private static void searchQueue(String name, String words) {
    WebElement box = browser.findElement(By.id(name + "-q"));
    box.clear();
    box.sendKeys(words);
    box.sendKeys(org.openqa.selenium.Keys.ENTER);
  }

  private static List<WebElement> queueRows() {
    return browser.findElements(By.cssSelector("main tbody tr[data-lead-id]"));
  }

  /** The actions a lead page offers first (the rest are behind "More actions"). */
  private static List<String> firstActions() {
    return browser.findElements(By.cssSelector("#lead-actions-first [data-action]")).stream()
        .map(e -> e.getDomAttribute("data-action")).toList();
  }

  /** The addresses the page has fetched so far (the browser's resource timing). */
  @SuppressWarnings("unchecked")
  private static List<String> requested() {
    return (List<String>) script("return performance.getEntriesByType('resource').map((e) => e.name)");
  }

  /** Keys typed where the focus is (not in a field: the page's shortcuts). */
  private static void keys(CharSequence key) {
    new org.openqa.selenium.interactions.Actions(browser).sendKeys(key).perform();
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
    // The action's own answer too, where the action is still offered (a converted lead offers none).
    browser.findElements(By.id(actionId + "-result"))
        .forEach(result -> assertThat(result.getDomProperty("textContent")).isEqualTo(text));
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
