package io.leadcycle.local.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/leads?view=...}: the telemarketing and sales views over a mix of leads in every state,
 * paged by keyset cursor until {@code next} is null.
 */
class LeadViewsHttpTest extends LeadApiTestBase {

  /** Every state a lead can be in, and how to get there from inquiry. */
  enum State {
    INQUIRY,
    TELEMARKETING_READY("mark-telemarketing-ready"),
    TELEMARKETING_ACCEPTED("mark-telemarketing-ready", "accept-telemarketing"),
    SALES_READY("mark-sales-ready"),
    SALES_READY_AFTER_TELEMARKETING("mark-telemarketing-ready", "accept-telemarketing", "ready-for-sales"),
    SALES_READY_FROM_TELEMARKETING_ACCEPTANCE("mark-telemarketing-ready", "mark-sales-ready"),
    SALES_ACCEPTED("mark-sales-ready", "accept-sales"),
    CONVERTED("mark-sales-ready", "accept-sales", "convert"),
    DISQUALIFIED_SALES_READY("mark-sales-ready", "disqualify"),
    DISQUALIFIED_TELEMARKETING_READY("mark-telemarketing-ready", "disqualify"),
    DISQUALIFIED_INQUIRY("disqualify");

    final List<String> actions;

    State(String... actions) {
      this.actions = List.of(actions);
    }
  }

  private static final Comparator<JsonObject> VIEW_ORDER = Comparator
      .comparing((JsonObject lead) -> Instant.parse(lead.getString("createdAt")))
      .thenComparing(lead -> lead.getString("id")); // PostgreSQL orders uuids bytewise = lower-case hex text order

  /** The leads created for the test, by id, and the state each was driven to. */
  private final Map<String, State> states = new LinkedHashMap<>();

  /** 33 leads of one contact, three in each state, the states interleaved in creation order. */
  private void createAMixOfLeads() {
    String contactId = createContact("busy.buyer@example.com").getString("id");
    for (int round = 0; round < 3; round++) {
      for (State state : State.values()) {
        String id = created(post("/v1/leads", new JsonObject().put("topic", state + " #" + round)
            .put("contactId", contactId).put("context", manualContext()))).getString("id");
        for (String action : state.actions) {
          JsonObject body = new JsonObject().put("action", action);
          switch (action) {
            case "accept-sales" -> body.put("ownerId", "owner-" + round);
            case "disqualify" -> body.put("reason", "not a fit");
            default -> { }
          }
          ok(process(id, body));
        }
        states.put(id, state);
      }
    }
    assertThat(states).hasSize(33);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(33);
  }

  private List<String> idsIn(Predicate<State> which) {
    return states.entrySet().stream().filter(e -> which.test(e.getValue())).map(Map.Entry::getKey).toList();
  }

  /** Follows {@code next} from the first page until it is null; every page but the last is full. */
  private static List<JsonObject> pageThrough(String query, int limit) {
    List<JsonObject> all = new ArrayList<>();
    String after = null;
    for (int page = 0; page < 100; page++) {
      String path = "/v1/leads?" + query + "&limit=" + limit
          + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
      JsonObject body = ok(get(path));
      List<JsonObject> items = new ArrayList<>();
      body.getJsonArray("items").forEach(item -> items.add((JsonObject) item));
      after = body.getString("next");
      if (after != null) {
        assertThat(items).as("a page with a next cursor is full").hasSize(limit);
      } else {
        assertThat(items.size()).isLessThanOrEqualTo(limit);
      }
      items.forEach(item -> assertThat(item.containsKey("timeline")).isFalse());
      all.addAll(items);
      if (after == null) {
        return all;
      }
    }
    throw new AssertionError("more than 100 pages for " + query);
  }

  private static List<String> ids(List<JsonObject> leads) {
    return leads.stream().map(lead -> lead.getString("id")).toList();
  }

  /** The leads, as GET /v1/leads/{id} shows them, in view order. */
  private static List<String> inViewOrder(List<String> ids) {
    return ids(ids.stream().map(LeadApiTestBase::lead).sorted(VIEW_ORDER).toList());
  }

  @Test
  void theSalesViewShowsOnlyOpenSalesReadyLeadsEachOnceInOrder() {
    createAMixOfLeads();
    List<String> expected = inViewOrder(idsIn(state -> switch (state) {
      case SALES_READY, SALES_READY_AFTER_TELEMARKETING, SALES_READY_FROM_TELEMARKETING_ACCEPTANCE, SALES_ACCEPTED -> true;
      default -> false;
    }));
    assertThat(expected).hasSize(12);

    List<JsonObject> seen = pageThrough("view=sales", 7);

    assertThat(seen).allSatisfy(lead -> {
      assertThat(lead.getBoolean("salesReady")).isTrue();
      assertThat(lead.getString("status")).isEqualTo("open");
      assertThat(lead.getString("stage")).isEqualTo("sales_acceptance");
    });
    assertThat(ids(seen)).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
    assertThat(seen).isSortedAccordingTo(VIEW_ORDER);
    // the items are the leads as GET shows them, without the timeline
    for (JsonObject item : seen) {
      JsonObject full = lead(item.getString("id"));
      full.remove("timeline");
      assertThat(item).isEqualTo(full);
    }
  }

  @Test
  void theTelemarketingViewShowsReadyLeadsNotYetAcceptedAndTheAllViewFiltersByStage() {
    createAMixOfLeads();

    List<JsonObject> telemarketing = pageThrough("view=telemarketing", 2);

    assertThat(ids(telemarketing)).hasSize(3)
        .containsExactlyElementsOf(inViewOrder(idsIn(state -> state == State.TELEMARKETING_READY)));
    assertThat(telemarketing).allSatisfy(lead -> {
      assertThat(lead.getBoolean("telemarketingReady")).isTrue();
      assertThat(lead.getBoolean("telemarketingAccepted")).isFalse();
      assertThat(lead.getBoolean("salesReady")).isFalse();
      assertThat(lead.getString("stage")).isEqualTo("telemarketing_acceptance");
      assertThat(lead.getString("status")).isEqualTo("open");
    });

    assertThat(ids(pageThrough("view=all&stage=telemarketing_qualification", 50))).hasSize(3)
        .containsExactlyElementsOf(inViewOrder(idsIn(state -> state == State.TELEMARKETING_ACCEPTED)));
    // the all view does not filter on status: disqualified leads still sit in their stage
    assertThat(ids(pageThrough("view=all&stage=inquiry", 4))).hasSize(6)
        .containsExactlyElementsOf(inViewOrder(idsIn(state -> state == State.INQUIRY
            || state == State.DISQUALIFIED_INQUIRY)));
    assertThat(ids(pageThrough("view=sales&stage=telemarketing_acceptance", 5))).isEmpty();

    assertThat(ids(pageThrough("view=all", 5))).containsExactlyElementsOf(inViewOrder(List.copyOf(states.keySet())));
    JsonObject defaults = ok(get("/v1/leads"));
    assertThat(defaults.getJsonArray("items")).hasSize(33);
    assertThat(defaults.getString("next")).isNull();
  }

  @Test
  void pagingIsStableWhenLeadsShareTheirCreationTime() {
    createAMixOfLeads();
    // Two creation instants a microsecond apart; which lead gets which is unrelated to creation order.
    rows("UPDATE leads SET created_at = CASE WHEN id::text >= '8' THEN timestamptz '2030-01-01 00:00:00.000001+00'"
        + " ELSE timestamptz '2030-01-01 00:00:00.000002+00' END");
    List<String> expectedAll = inViewOrder(new ArrayList<>(states.keySet()));
    List<String> expectedSales = inViewOrder(idsIn(state -> switch (state) {
      case SALES_READY, SALES_READY_AFTER_TELEMARKETING, SALES_READY_FROM_TELEMARKETING_ACCEPTANCE, SALES_ACCEPTED -> true;
      default -> false;
    }));

    for (int limit : new int[] {1, 7, 32, 33, 200}) {
      assertThat(ids(pageThrough("view=all", limit))).as("view=all, limit=%d", limit)
          .containsExactlyElementsOf(expectedAll);
      assertThat(ids(pageThrough("view=sales", limit))).as("view=sales, limit=%d", limit)
          .containsExactlyElementsOf(expectedSales);
    }
  }

  @Test
  void badParametersAreNamed() {
    assertInvalid(get("/v1/leads?view=marketing"), "view");
    assertInvalid(get("/v1/leads?view=sales&limit=0"), "limit");
    assertInvalid(get("/v1/leads?view=sales&limit=201"), "limit");
    assertInvalid(get("/v1/leads?view=sales&limit=ten"), "limit");
    assertInvalid(get("/v1/leads?view=sales&after=not-a-cursor"), "after");
    String wellFormedButWrong = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("yesterday|someone".getBytes(StandardCharsets.UTF_8));
    assertInvalid(get("/v1/leads?view=sales&after=" + wellFormedButWrong), "after");
    assertInvalid(get("/v1/leads?view=all&stage=negotiation"), "stage");
  }
}
