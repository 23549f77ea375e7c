package io.leadcycle.local.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.leadcycle.domain.ContactDetails;
import io.leadcycle.domain.EventTypes;
import io.leadcycle.domain.ImportTarget;
import io.leadcycle.local.LocalServer;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
 * The marketer's pages of the workbench in a real browser (Debian's headless Chromium, as
 * {@link WorkbenchBrowserTest}) against the local server on the embedded database: a form made in the page
 * and its embed snippets posted from a page of another origin (a second HTTP server on loopback), a
 * subscriber whose deliveries reach a loopback receiver, a CSV imported with a changed mapping and its errors
 * downloaded, and a LinkedIn form mapped. Every user a test makes is disabled after it.
 */
class MarketingPagesBrowserTest {

  private static final String TOKEN = "marketing-pages-browser-token";
  private static final Path SCREENSHOTS = Path.of("../../docs/images");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static LocalServer server;
  private static ChromeDriverService service;
  private static WebDriver browser;
  private static WebDriverWait waiting;
  private static Path downloads;
  /** The other origin: landing pages with a snippet, a thank-you page, and a webhook receiver. */
  private static HttpServer otherOrigin;
  private static final Map<String, String> PAGES = new ConcurrentHashMap<>();
  private static final List<String> WEBHOOKS = new CopyOnWriteArrayList<>();
  private static final List<JsonObject> MADE_USERS = new ArrayList<>();
  private String marketer;

  @BeforeAll
  static void start() throws IOException {
    File chromium = new File(System.getenv().getOrDefault("LEADCYCLE_CHROMIUM", "/usr/bin/chromium"));
    File driver = new File(System.getenv().getOrDefault("LEADCYCLE_CHROMEDRIVER", "/usr/bin/chromedriver"));
    Assumptions.assumeTrue(chromium.canExecute() && driver.canExecute(),
        "MarketingPagesBrowserTest skipped: no Chromium at " + chromium + " or no chromedriver at " + driver
            + " (apt-get install -y chromium chromium-driver, as .ci/run does; or set LEADCYCLE_CHROMIUM and "
            + "LEADCYCLE_CHROMEDRIVER)");
    TestDatabase.reset();
    server = LocalServer.start(Map.of("DATABASE_URL", TestDatabase.url()), 0, TOKEN);
    otherOrigin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    otherOrigin.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      if ("POST".equals(exchange.getRequestMethod()) && path.equals("/hooks")) {
        WEBHOOKS.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
        return;
      }
      String page = path.equals("/thanks") ? "<!doctype html><title>Thanks</title><h1 id=thanks>Thank you</h1>" : PAGES.get(path);
      if (page == null) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      body = page.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    otherOrigin.start();
    downloads = Files.createTempDirectory("leadcycle-downloads");
    service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1366,900",
        "--user-data-dir=" + Files.createTempDirectory("leadcycle-chromium"));
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    browser = new ChromeDriver(service, options);
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
    if (otherOrigin != null) {
      otherOrigin.stop(0);
    }
    if (server != null) {
      server.close();
    }
  }

  /** Each test works as a marketer of its own, whom the admin makes. */
  @BeforeEach
  void aMarketer() throws Exception {
    JsonObject user = api("POST", "/v1/users", new JsonObject().put("name", "Mara Marketing")
        .put("roles", new JsonArray().add("marketing")));
    MADE_USERS.add(user);
    marketer = user.getString("token");
  }

  /** The users a test made are disabled (DELETE /v1/users/{id}), so no token of theirs outlives it. */
  @AfterEach
  void theTestsUsersAreDisabled() throws Exception {
    for (JsonObject user : MADE_USERS) {
      HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/users/" + user.getString("id")))
          .header("Authorization", "Bearer " + TOKEN).DELETE().build(), BodyHandlers.discarding());
    }
    MADE_USERS.clear();
  }

  @Test
  void aMarketerMakesAFormAndAVisitorPostsItsSnippetsFromAnotherOrigin() throws Exception {
    String origin = "http://127.0.0.1:" + otherOrigin.getAddress().getPort();
    signIn("forms");
    assertThat(navigation()).contains("forms", "subscribers", "imports", "linkedin", "configuration");
    click(By.id("new-form"));
    type("form-id", "spring-webinar");
    type("form-name", "Spring webinar");
    new Select(browser.findElement(By.id("form-process"))).selectByValue("default");
    // An origin with a path is the API's 400, said under the box it came from; nothing is saved.
    type("form-allowed-origins", origin + "/landing");
    type("form-redirect-url", origin + "/thanks");
    type("form-honeypot", "website_url");
    click(By.id("save-form"));
    waiting.until(d -> !d.findElements(By.cssSelector("[data-field='allowedOrigins'] .field-error")).isEmpty());
    assertThat(browser.findElement(By.id("form-save-result")).getText()).startsWith("allowedOrigins[0]: ");
    assertThat(status("GET", "/v1/forms/spring-webinar")).isEqualTo(404);

    type("form-allowed-origins", origin);
    click(By.id("save-form"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("form-signing-secret")));
    String firstSecret = browser.findElement(By.id("form-signing-secret")).getDomProperty("value");
    assertThat(firstSecret).startsWith("whsec_");
    assertThat(browser.findElement(By.cssSelector("#form-secret")).getText()).contains("Copy the signing secret now");
    JsonObject saved = api("GET", "/v1/forms/spring-webinar", null);
    assertThat(saved.getJsonArray("allowedOrigins")).containsExactly(origin);
    assertThat(saved.getBoolean("requireSignature")).isFalse();
    assertThat(saved.getString("honeypotField")).isEqualTo("website_url");
    // "New form" with an id in use replaces nothing.
    click(By.id("new-form"));
    type("form-id", "spring-webinar");
    type("form-name", "Another");
    click(By.id("save-form"));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-save-result"), "a form with this id exists"));
    assertThat(api("GET", "/v1/forms/spring-webinar", null).getString("name")).isEqualTo("Spring webinar");

    click(By.cssSelector("button[data-form='spring-webinar']"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("form-snippet-html")));
    String html = browser.findElement(By.id("form-snippet-html")).getDomProperty("textContent");
    String fetch = browser.findElement(By.id("form-snippet-fetch")).getDomProperty("textContent");
    assertThat(html).contains("action=\"" + base() + "/v1/forms/spring-webinar/submissions\"", "name=\"website_url\"",
        "name=\"submissionId\"");
    screenshot("workbench-form-embed.png");

    // The marketer rotates the signing secret: asked first, then the new secret shown once with when the old stops.
    click(By.id("rotate-form-secret"));
    waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("rotate-form-secret-confirm")));
    assertThat(browser.findElements(By.id("form-rotated-secret-value"))).isEmpty();
    click(By.id("rotate-form-secret-confirm"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("form-rotated-secret-value")));
    String rotated = browser.findElement(By.id("form-rotated-secret-value")).getDomProperty("value");
    assertThat(rotated).startsWith("whsec_").isNotEqualTo(firstSecret);
    assertThat(browser.findElement(By.id("form-signing")).getText())
        .contains("Copy the new signing secret now", "The old secret is still accepted until");
    assertThat(browser.findElement(By.id("form-rotate-confirm")).isDisplayed()).isFalse();
    // Shown once: the form opened again shows it no more, nor does the API's form.
    click(By.cssSelector("button[data-form='spring-webinar']"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("rotate-form-secret")));
    assertThat(browser.findElements(By.id("form-rotated-secret-value"))).isEmpty();
    assertThat(browser.getPageSource()).doesNotContain(rotated);
    assertThat(api("GET", "/v1/forms/spring-webinar", null).encode()).doesNotContain(rotated);
    // A server signs with the new secret: accepted; the old one still is during the overlap; a made-up one is not.
    assertThat(signedSubmission("spring-webinar", rotated, "signed-new@example.com")).isEqualTo(201);
    assertThat(signedSubmission("spring-webinar", firstSecret, "signed-old@example.com")).isEqualTo(201);
    assertThat(signedSubmission("spring-webinar", io.leadcycle.http.StandardWebhooks.newSecret(), "forged@example.com"))
        .isEqualTo(401);
    assertThat(api("GET", "/v1/contacts?email=signed-new%40example.com", null).getJsonArray("items")).hasSize(1);

    // A visitor on the landing page (another origin) sends the plain HTML form and lands on the thank-you page.
    PAGES.put("/landing.html", "<!doctype html><html><head><meta charset=utf-8><title>Spring webinar</title></head><body>"
        + html + "</body></html>");
    browser.get(origin + "/landing.html");
    browser.findElement(By.name("email")).sendKeys("visitor@example.com");
    browser.findElement(By.name("firstName")).sendKeys("Vera");
    browser.findElement(By.name("lastName")).sendKeys("Visitor");
    browser.findElement(By.name("companyName")).sendKeys("Initech");
    assertThat(browser.findElement(By.name("submissionId")).getDomProperty("value")).isNotBlank();
    browser.findElement(By.cssSelector("button[type='submit']")).click();
    waiting.until(ExpectedConditions.urlToBe(origin + "/thanks"));
    // The fetch() variant: JSON with a preflight, allowed because the origin is the form's.
    PAGES.put("/fetch.html", "<!doctype html><html><head><meta charset=utf-8><title>Webinar</title></head><body>"
        + fetch + "</body></html>");
    browser.get(origin + "/fetch.html");
    browser.findElement(By.name("email")).sendKeys("fetcher@example.com");
    browser.findElement(By.name("firstName")).sendKeys("Fay");
    browser.findElement(By.cssSelector("button[type='submit']")).click();
    waiting.until(ExpectedConditions.textToBe(By.id("leadcycle-said"), "Thank you!"));
    // A bot fills the honeypot: answered as taken, nothing written.
    browser.get(origin + "/landing.html");
    browser.findElement(By.name("email")).sendKeys("bot@example.com");
    script("document.querySelector('[name=website_url]').value = 'http://spam.example'");
    browser.findElement(By.cssSelector("button[type='submit']")).click();
    waiting.until(ExpectedConditions.urlToBe(origin + "/thanks"));

    // The marketer sees both in the submission log, the contact arrived (and no bot).
    signIn("forms");
    click(By.cssSelector("button[data-form='spring-webinar']"));
    waiting.until(d -> d.findElement(By.id("form-submissions")).getText().contains("visitor@example.com")
        && d.findElement(By.id("form-submissions")).getText().contains("fetcher@example.com"));
    assertThat(browser.findElement(By.id("form-submissions")).getText()).doesNotContain("bot@example.com");
    JsonObject contact = api("GET", "/v1/contacts?email=visitor%40example.com", null).getJsonArray("items").getJsonObject(0);
    assertThat(contact.getString("companyName")).isEqualTo("Initech");
    assertThat(api("GET", "/v1/contacts?email=bot%40example.com", null).getJsonArray("items")).isEmpty();
    WebElement contactLink = browser.findElements(By.cssSelector("#form-submissions-table a[href^='#/contacts/']")).stream()
        .filter(a -> a.getDomAttribute("href").equals("#/contacts/" + contact.getString("id"))).findFirst().orElseThrow();
    contactLink.click();
    waiting.until(ExpectedConditions.urlContains("#/contacts/" + contact.getString("id")));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Vera Visitor"));
    assertThat(browser.findElement(By.id("main")).getText()).contains("visitor@example.com", "Initech");
  }

  @Test
  void aMarketerAddsASubscriberAndSeesItsDeliveries() throws Exception {
    String receiver = "http://127.0.0.1:" + otherOrigin.getAddress().getPort() + "/hooks";
    signIn("subscribers");
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("add-subscriber")));
    // The event types offered are the API's.
    @SuppressWarnings("unchecked")
    List<String> offered = (List<String>) script("return [...document.querySelectorAll('#add-subscriber fieldset input')]"
        + ".map((box) => box.value)");
    List<String> expected = new ArrayList<>(List.of("*"));
    expected.addAll(EventTypes.TYPES);
    assertThat(offered).isEqualTo(expected);
    int before = api("GET", "/v1/subscribers?limit=200", null).getJsonArray("items").size();
    // A URL the API refuses is its 400, said under the URL box; nothing is added.
    type("new-subscriber-url", "ftp://crm.example.com/hooks");
    click(By.id("add-subscriber-button"));
    waiting.until(d -> !d.findElements(By.cssSelector("[data-field='url'] .field-error")).isEmpty());
    assertThat(api("GET", "/v1/subscribers?limit=200", null).getJsonArray("items")).hasSize(before);

    type("new-subscriber-url", receiver);
    browser.findElement(By.id("new-subscriber-event-lead.sales_ready")).click();
    browser.findElement(By.id("new-subscriber-event-lead.created")).click();
    type("new-subscriber-description", "Our CRM");
    click(By.id("add-subscriber-button"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("subscriber-secret")));
    assertThat(browser.findElement(By.id("subscriber-secret")).getDomProperty("value")).startsWith("whsec_");
    JsonObject subscriber = api("GET", "/v1/subscribers?limit=200", null).getJsonArray("items").getJsonObject(before);
    assertThat(subscriber.getJsonArray("events")).containsExactly("lead.created");

    // A lead is created: the webhook reaches the receiver, and the delivery log shows it with its attempt.
    int heard = WEBHOOKS.size();
    api("PUT", "/v1/forms/subscriber-demo", new JsonObject().put("name", "Demo").put("kind", "marketing_page")
        .put("requireSignature", false));
    api("POST", "/v1/forms/subscriber-demo/submissions", new JsonObject()
        .put("fields", new JsonObject().put("email", "hooked@example.com")));
    waitFor(() -> WEBHOOKS.size() > heard);
    waiting.until(d -> {
      if (d.findElements(By.xpath("//table[@id='deliveries-table']//td[.='delivered']")).isEmpty()) {
        d.findElement(By.id("refresh-deliveries")).click();
        return false;
      }
      return true;
    });
    assertThat(browser.findElement(By.id("deliveries-table")).getText()).contains("lead.created", "204");
    screenshot("workbench-subscriber-deliveries.png");

    // Redelivered: pending, then at the receiver again.
    int heardOnce = WEBHOOKS.size();
    click(By.cssSelector("#deliveries-table button[data-redeliver]"));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("subscriber-result"), "pending"));
    waitFor(() -> WEBHOOKS.size() > heardOnce);

    // Rotated: a new secret shown once, the old one still signs for a while.
    click(By.id("rotate-subscriber-secret"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("subscriber-rotated-secret-value")));
    assertThat(browser.findElement(By.id("subscriber-rotated-secret-value")).getDomProperty("value")).startsWith("whsec_");
    assertThat(api("GET", "/v1/subscribers/" + subscriber.getString("id"), null).getString("previousSecretExpiresAt")).isNotNull();
    // Disabled and enabled again.
    click(By.id("toggle-subscriber"));
    waiting.until(ExpectedConditions.textToBe(By.id("subscriber-state"), "State: disabled: disabled by hand."));
    assertThat(api("GET", "/v1/subscribers/" + subscriber.getString("id"), null).getBoolean("disabled")).isTrue();
    click(By.id("toggle-subscriber"));
    waiting.until(ExpectedConditions.textToBe(By.id("subscriber-state"), "State: active."));
    assertThat(api("GET", "/v1/subscribers/" + subscriber.getString("id"), null).getBoolean("disabled")).isFalse();
  }

  @Test
  void aMarketerImportsACsvWithAChangedMappingAndDownloadsItsErrors() throws Exception {
    Path csv = Files.createTempDirectory("leadcycle-import").resolve("fair-visitors.csv");
    Files.writeString(csv, """
        Email,First name,Last name,Where they work
        ida@fair.example,Ida,Import,Umbrella Corp
        ike@fair.example,Ike,Import,Initech
        not-an-email,Bad,Row,Nowhere
        """);
    signIn("imports");
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("import-file")));
    browser.findElement(By.id("import-file")).sendKeys(csv.toAbsolutePath().toString());
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("import-mapping")));
    assertThat(browser.findElement(By.id("import-encoding")).getText()).isEqualTo("UTF-8");
    assertThat(browser.findElement(By.id("import-delimiter")).getText()).isEqualTo("comma");
    assertThat(browser.findElement(By.id("import-counts")).getText()).isEqualTo("3 rows: 2 importable, 1 refused");
    assertThat(new Select(browser.findElement(By.cssSelector("select[data-column='Where they work']"))).getFirstSelectedOption()
        .getDomAttribute("value")).startsWith("attributes.");
    // Each picker offers the API's targets (ImportTarget.FIXED) and one attribute the API takes.
    for (WebElement picker : browser.findElements(By.cssSelector("#import-mapping select"))) {
      List<String> values = new Select(picker).getOptions().stream().map(o -> o.getDomAttribute("value")).toList();
      assertThat(values.stream().filter(v -> !v.startsWith("attributes.")).toList()).isEqualTo(ImportTarget.FIXED);
      assertThat(values).allSatisfy(v -> assertThat(ImportTarget.parse(v)).as(v).isPresent());
    }
    // "Where they work" is the company: the preview is asked again with the mapping and shows it.
    new Select(browser.findElement(By.cssSelector("select[data-column='Where they work']"))).selectByValue("companyName");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-rows"), "Umbrella Corp"));
    assertThat(new Select(browser.findElement(By.cssSelector("select[data-column='Where they work']"))).getFirstSelectedOption()
        .getDomAttribute("value")).isEqualTo("companyName");
    screenshot("workbench-import-preview.png");

    click(By.id("start-import"));
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-status"), "Finished"));
    WebElement progress = browser.findElement(By.id("import-progress"));
    assertThat(progress.getDomProperty("value")).isEqualTo(progress.getDomProperty("max"));
    assertThat(browser.findElement(By.cssSelector("#import-job-counts [data-count='created']")).getText()).isEqualTo("2");
    assertThat(browser.findElement(By.cssSelector("#import-job-counts [data-count='failed']")).getText()).isEqualTo("1");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-errors"), "not-an-email"));
    JsonObject ida = api("GET", "/v1/contacts?email=ida%40fair.example", null).getJsonArray("items").getJsonObject(0);
    assertThat(ida.getString("companyName")).isEqualTo("Umbrella Corp");

    click(By.id("download-import-errors"));
    Path downloaded = downloads.resolve("fair-visitors-errors.csv");
    waitFor(() -> Files.exists(downloaded) && Files.size(downloaded) > 0);
    String errors = Files.readString(downloaded);
    assertThat(errors).startsWith("row,column,value,reason").contains("4,Email,not-an-email,");
  }

  @Test
  void aMarketerMapsALinkedInForm() throws Exception {
    signIn("linkedin");
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("linkedin-sync")));
    assertThat(browser.findElement(By.id("linkedin-sync")).getText()).contains("Last poll", "never");
    // The local server has no LinkedIn access token: the proposal is refused in words, and the form is mapped by hand.
    type("linkedin-urn", "urn:li:leadGenForm:7234246");
    click(By.cssSelector("#linkedin-propose button[type='submit']"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("linkedin-map-by-hand")));
    assertThat(browser.findElement(By.id("linkedin-propose-result")).getAttribute("class")).contains("error");
    click(By.id("linkedin-map-by-hand"));
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.id("linkedin-mapping")));
    type("linkedin-name", "Spring webinar on LinkedIn");
    addQuestion(0, "EMAIL", "email", null);
    // What a question may fill: the contact fields (the API's list) or a custom attribute.
    assertThat(new Select(browser.findElement(By.cssSelector("#linkedin-fields tr select"))).getOptions().stream()
        .map(o -> o.getDomAttribute("value")).toList())
        .isEqualTo(java.util.stream.Stream.concat(ContactDetails.STANDARD_FIELDS.stream(), java.util.stream.Stream.of("attribute")).toList());
    addQuestion(1, "FIRST_NAME", "firstName", null);
    addQuestion(2, "807234246", "attribute", "grew up in");
    click(By.id("save-linkedin-mapping"));
    // An attribute name the API refuses is said under its question.
    waiting.until(d -> !d.findElements(By.cssSelector("#linkedin-fields [data-field='fields.807234246'] .field-error")).isEmpty());
    List<WebElement> names = browser.findElements(By.cssSelector("#linkedin-fields input[aria-label='attribute name']"));
    names.get(2).clear();
    names.get(2).sendKeys("grewUpIn");
    click(By.id("save-linkedin-mapping"));
    waiting.until(ExpectedConditions.textToBe(By.id("linkedin-save-result"), "Saved the mapping of urn:li:leadGenForm:7234246."));
    JsonObject mapping = api("GET", "/v1/linkedin/forms/urn%3Ali%3AleadGenForm%3A7234246", null);
    JsonObject fields = mapping.getJsonObject("fields");
    assertThat(new ArrayList<>(fields.fieldNames())).containsExactly("EMAIL", "FIRST_NAME", "807234246");
    assertThat(fields.getString("807234246")).isEqualTo("attributes.grewUpIn");
    assertThat(mapping.getString("name")).isEqualTo("Spring webinar on LinkedIn");
    // Listed, opened again and edited.
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[data-urn='urn:li:leadGenForm:7234246']")));
    click(By.cssSelector("button[data-urn='urn:li:leadGenForm:7234246']"));
    waiting.until(d -> d.findElement(By.id("linkedin-editor-title")).getText().startsWith("Mapping of"));
    // The questions in their order, the question id among them where it was (a JavaScript object would put it first).
    @SuppressWarnings("unchecked")
    List<String> shown = (List<String>) script("return [...document.querySelectorAll(\"#linkedin-fields input[aria-label='question']\")]"
        + ".map((i) => i.value)");
    assertThat(shown).containsExactly("EMAIL", "FIRST_NAME", "807234246");
    new Select(browser.findElement(By.id("linkedin-partial"))).selectByValue("ignore");
    click(By.id("save-linkedin-mapping"));
    waiting.until(ExpectedConditions.textToBe(By.id("linkedin-save-result"), "Saved the mapping of urn:li:leadGenForm:7234246."));
    JsonObject edited = api("GET", "/v1/linkedin/forms/urn%3Ali%3AleadGenForm%3A7234246", null);
    assertThat(edited.getString("onPartialMatch")).isEqualTo("ignore");
    assertThat(new ArrayList<>(edited.getJsonObject("fields").fieldNames())).containsExactly("EMAIL", "FIRST_NAME", "807234246");
  }

  private static void addQuestion(int index, String key, String target, String attribute) {
    click(By.id("linkedin-add-field"));
    List<WebElement> rows = browser.findElements(By.cssSelector("#linkedin-fields tr"));
    WebElement row = rows.get(index);
    row.findElement(By.cssSelector("input[aria-label='question']")).sendKeys(key);
    new Select(row.findElement(By.tagName("select"))).selectByValue(target);
    if (attribute != null) {
      row.findElement(By.cssSelector("input[aria-label='attribute name']")).sendKeys(attribute);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  private void signIn(String view) {
    browser.get(base() + "/workbench/config.json");
    script("sessionStorage.clear()");
    browser.get(base() + "/workbench/#token=" + marketer);
    waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#nav-list [data-view='" + view + "']")));
    browser.get(base() + "/workbench/#/" + view);
    waiting.until(ExpectedConditions.attributeToBe(By.cssSelector("#nav-list [data-view='" + view + "']"), "aria-current", "page"));
  }

  private static List<String> navigation() {
    return browser.findElements(By.cssSelector("#nav-list [data-view]")).stream().map(a -> a.getDomAttribute("data-view")).toList();
  }

  private static void click(By by) {
    waiting.until(d -> {
      d.findElement(by).click();
      return true;
    });
  }

  private static void type(String id, String text) {
    WebElement input = waiting.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    input.clear();
    input.sendKeys(text);
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void waitFor(Condition condition) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.holds()) {
      assertThat(System.nanoTime()).as("waited 20 s").isLessThan(until);
      Thread.sleep(100);
    }
  }

  private static String base() {
    return "http://localhost:" + server.port();
  }

  private static Object script(String code, Object... arguments) {
    return ((JavascriptExecutor) browser).executeScript(code, arguments);
  }

  private static int status(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + TOKEN)
        .method(method, BodyPublishers.noBody()).build(), BodyHandlers.discarding()).statusCode();
  }

  /** A submission a server signs with {@code secret} (Standard Webhooks), as JSON; its status. */
  private static int signedSubmission(String formId, String secret, String email) throws Exception {
    byte[] body = new JsonObject().put("fields", new JsonObject().put("email", email)).encode()
        .getBytes(StandardCharsets.UTF_8);
    String id = "msg_" + java.util.UUID.randomUUID();
    long now = java.time.Instant.now().getEpochSecond();
    return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/forms/" + formId + "/submissions"))
        .header("Content-Type", "application/json").header("webhook-id", id)
        .header("webhook-timestamp", Long.toString(now))
        .header("webhook-signature", io.leadcycle.http.StandardWebhooks.sign(secret, id, now, body))
        .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.discarding()).statusCode();
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

  /** A PNG of the whole page into docs/images, for docs/workbench.md. */
  private static void screenshot(String file) throws IOException {
    org.openqa.selenium.Dimension before = browser.manage().window().getSize();
    long height = (Long) script("return Math.ceil(document.documentElement.scrollHeight)");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1366, (int) Math.min(Math.max(height + 120, 900), 4000)));
    script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
    Path png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.createDirectories(SCREENSHOTS);
    Files.copy(png, SCREENSHOTS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    browser.manage().window().setSize(before);
  }
}
