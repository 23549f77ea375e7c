package io.leadcycle.functions.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/scoring-models/{modelId}/scores} as JSON pages and as CSV: order, paging, quoting, guards. */
class ScoreExportHandlerTest extends ScoringHarness {

  private static final String SCORED_AT = "2026-11-27T10:15:00Z";
  private static final Pattern LINK = Pattern.compile("<([^>]+)>; rel=\"next\"");

  private String modelId;
  private UUID ada;
  /** Lead ids by topic. */
  private final Map<String, UUID> leads = new LinkedHashMap<>();
  /** Each lead's score. */
  private final List<Map.Entry<UUID, Integer>> scored = new ArrayList<>();

  @BeforeEach
  void scoredLeads() {
    TestDatabase.reset();
    modelId = createModel(MODEL).getString("id");
    ada = createContact("ada@example.com", "Ada");
    // An email a form would refuse, as an import or an old record might have it: a formula in the export.
    UUID bob = UUID.randomUUID();
    query("INSERT INTO contacts (id, email, email_norm) VALUES ($1, $2, $2)", bob, "=cmd|' /C calc'!A0@example.com");
    lead("Pricing, \"enterprise\"\nplan", ada, 70, "A", true);
    lead("=HYPERLINK(\"http://evil.example\",\"click\")", bob, 35, "B", false);
    lead("Webinar", ada, 35, "B", false);
    lead("-5 points", null, -5, "C", false);
    lead("Whitepaper", ada, 12, "C", false);
  }

  private void lead(String topic, UUID contact, int score, String grade, boolean salesReady) {
    UUID id = createLead(topic, contact);
    insertScore(id, modelId, score, grade, salesReady, SCORED_AT);
    leads.put(topic, id);
    scored.add(Map.entry(id, score));
  }

  /** The leads' ids best first: score descending, then lead id. */
  private List<Object> expectedOrder() {
    return new ArrayList<>(scored.stream()
        .sorted(Comparator.<Map.Entry<UUID, Integer>>comparingInt(e -> -e.getValue())
            .thenComparing(e -> e.getKey().toString()))
        .map(e -> (Object) e.getKey().toString())
        .toList());
  }

  @Test
  void jsonPagesBestFirstWithEveryColumn() {
    JsonObject all = ok(scores(modelId));
    assertThat(column(all, "leadId")).isEqualTo(expectedOrder());
    assertThat(column(all, "score")).containsExactly(70, 35, 35, 12, -5);
    assertThat(all.getValue("next")).isNull();

    JsonObject best = all.getJsonArray("items").getJsonObject(0);
    assertThat(best.fieldNames()).containsExactly("leadId", "topic", "contactId", "contactEmail", "accountId", "score",
        "grade", "salesReady", "leadSalesReady", "scoredAt", "stage");
    assertThat(best.getString("topic")).isEqualTo("Pricing, \"enterprise\"\nplan");
    assertThat(best.getString("contactId")).isEqualTo(ada.toString());
    assertThat(best.getString("contactEmail")).isEqualTo("ada@example.com");
    assertThat(best.getValue("accountId")).isNull();
    assertThat(best.getString("grade")).isEqualTo("A");
    assertThat(best.getBoolean("salesReady")).isTrue();
    assertThat(best.getBoolean("leadSalesReady")).as("the lead's own flag: nothing has marked it yet").isFalse();
    assertThat(best.getString("scoredAt")).isEqualTo(SCORED_AT);
    assertThat(best.getString("stage")).isEqualTo("inquiry");
    JsonObject contactless = all.getJsonArray("items").getJsonObject(4);
    assertThat(contactless.getValue("contactId")).isNull();
    assertThat(contactless.getValue("contactEmail")).isNull();

    List<Object> paged = new ArrayList<>();
    JsonObject page = ok(scores(modelId, "limit", "2"));
    APIGatewayV2HTTPResponse response;
    while (true) {
      paged.addAll(column(page, "leadId"));
      if (page.getString("next") == null) {
        break;
      }
      response = scores(modelId, "limit", "2", "after", page.getString("next"));
      page = ok(response);
    }
    assertThat(paged).as("pages by (score desc, lead id), ties split across pages").isEqualTo(expectedOrder());
  }

  @Test
  void aJsonPageNamesTheNextInHeadersToo() {
    APIGatewayV2HTTPResponse first = scores(modelId, "limit", "2", "grade", "B");
    assertThat(ok(first).getString("next")).isNull();

    APIGatewayV2HTTPResponse paged = scores(modelId, "limit", "1", "grade", "B");
    String next = ok(paged).getString("next");
    assertThat(paged.getHeaders()).containsEntry("x-next-cursor", next);
    assertThat(paged.getHeaders().get("link"))
        .isEqualTo("</v1/scoring-models/" + modelId + "/scores?grade=B&limit=1&after=" + next + ">; rel=\"next\"");
  }

  @Test
  void gradeFiltersToOneOfTheModelsGrades() {
    assertThat(column(ok(scores(modelId, "grade", "B")), "score")).containsExactly(35, 35);
    assertThat(column(ok(scores(modelId, "grade", "C")), "score")).containsExactly(12, -5);
    JsonObject problem = assertProblem(scores(modelId, "grade", "D"), 400);
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("grade");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("message")).contains("C, B, A");
    assertProblem(scores(modelId, "grade", "a"), 400);
  }

  @Test
  void badParametersAre400() {
    assertThat(invalidFields(scores(modelId, "format", "xml"))).containsExactly("format");
    assertThat(invalidFields(scores(modelId, "limit", "201"))).containsExactly("limit");
    assertThat(invalidFields(scores(modelId, "limit", "0"))).containsExactly("limit");
    assertThat(invalidFields(scores(modelId, "format", "csv", "limit", "10001"))).containsExactly("limit");
    assertThat(invalidFields(scores(modelId, "after", "garbage"))).containsExactly("after");
    assertThat(scores(modelId, "format", "csv", "limit", "10000").getStatusCode()).isEqualTo(200);
  }

  @Test
  void aModelWithoutScoresHasAnEmptyList() {
    String other = createModel(model("Other")).getString("id");
    assertThat(ok(scores(other)).getJsonArray("items")).isEmpty();
    APIGatewayV2HTTPResponse csv = scores(other, "format", "csv");
    assertThat(csv.getBody()).isEqualTo(String.join(",", io.leadcycle.functions.scoring.ScoringViews.SCORE_COLUMNS) + "\r\n");
    assertThat(csv.getHeaders()).doesNotContainKeys("link", "x-next-cursor");
  }

  @Test
  void csvIsRfc4180WithAHeaderRowAndFormulasDefused() {
    APIGatewayV2HTTPResponse response = scores(modelId, "format", "csv");

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("text/csv; charset=utf-8");
    assertThat(response.getHeaders().get("content-disposition"))
        .isEqualTo("attachment; filename=\"scores-" + modelId + ".csv\"");
    assertThat(response.getHeaders()).doesNotContainKeys("link", "x-next-cursor");
    String body = response.getBody();
    assertThat(body).startsWith("leadId,topic,contactId,contactEmail,accountId,score,grade,salesReady,leadSalesReady,"
        + "scoredAt,stage\r\n");
    assertThat(body).endsWith("\r\n");
    assertThat(body).contains(",\"Pricing, \"\"enterprise\"\"\nplan\",");
    assertThat(body).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",");
    assertThat(body).contains(",'=cmd|' /C calc'!A0@example.com,");
    assertThat(body).contains(",'-5 points,");

    List<List<String>> records = parseCsv(body);
    assertThat(records).hasSize(6);
    assertThat(records.get(0)).containsExactly("leadId", "topic", "contactId", "contactEmail", "accountId", "score",
        "grade", "salesReady", "leadSalesReady", "scoredAt", "stage");
    List<String> best = records.get(1);
    assertThat(best).containsExactly(leads.get("Pricing, \"enterprise\"\nplan").toString(),
        "Pricing, \"enterprise\"\nplan", ada.toString(), "ada@example.com", "", "70", "A", "true", "false", SCORED_AT,
        "inquiry");
    List<String> worst = records.get(5);
    assertThat(worst.get(1)).isEqualTo("'-5 points");
    assertThat(worst.get(5)).as("numbers are never prefixed").isEqualTo("-5");
    assertThat(worst.get(2)).isEmpty();
    assertThat(records.stream().skip(1).map(r -> (Object) r.get(0)).toList()).isEqualTo(expectedOrder());
  }

  @Test
  void csvPagesByLimitWithLinkAndCursorHeaders() {
    List<Object> seen = new ArrayList<>();
    APIGatewayV2HTTPResponse response = scores(modelId, "format", "csv", "limit", "2");
    int pages = 1;
    while (true) {
      List<List<String>> records = parseCsv(response.getBody());
      assertThat(records.get(0).get(0)).as("every page has the header row").isEqualTo("leadId");
      records.stream().skip(1).forEach(r -> seen.add(r.get(0)));
      String link = response.getHeaders().get("link");
      if (link == null) {
        assertThat(response.getHeaders()).doesNotContainKey("x-next-cursor");
        break;
      }
      Matcher m = LINK.matcher(link);
      assertThat(m.matches()).as(link).isTrue();
      String target = m.group(1);
      assertThat(target).startsWith("/v1/scoring-models/" + modelId + "/scores?format=csv&limit=2&after=");
      String after = URLDecoder.decode(target.substring(target.indexOf("after=") + 6), StandardCharsets.UTF_8);
      assertThat(response.getHeaders().get("x-next-cursor")).isEqualTo(after);
      response = scores(modelId, "format", "csv", "limit", "2", "after", after);
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).isEqualTo(expectedOrder());
  }

  /** An RFC 4180 reader, for checking what the export wrote. */
  private static List<List<String>> parseCsv(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        assertThat(cell).as("a quote only opens a cell").isEmpty();
        quoted = true;
      } else if (c == ',') {
        record.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\r') {
        assertThat(text.charAt(i + 1)).as("records end in CRLF").isEqualTo('\n');
        record.add(cell.toString());
        cell.setLength(0);
        records.add(record);
        record = new ArrayList<>();
        i++;
      } else {
        assertThat(c).as("a bare LF outside quotes").isNotEqualTo('\n');
        cell.append(c);
      }
    }
    assertThat(quoted).isFalse();
    assertThat(record).isEmpty();
    return records;
  }
}
