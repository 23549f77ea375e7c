package io.leadcycle.local.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many requests on one lead at the same moment, over HTTP: they queue on the lead, none is lost. */
class LeadConcurrencyHttpTest extends LeadApiTestBase {

  private ExecutorService threads;

  @BeforeEach
  void startThreads() {
    threads = Executors.newFixedThreadPool(20);
  }

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Sends {@code n} requests released together by one start gate; the replies in request order. */
  private List<Reply> atOnce(int n, IntFunction<Reply> request) throws Exception {
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<Reply>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      futures.add(threads.submit(() -> {
        ready.countDown();
        gate.await();
        return request.apply(index);
      }));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    gate.countDown();
    List<Reply> replies = new ArrayList<>();
    for (Future<Reply> future : futures) {
      replies.add(future.get(30, TimeUnit.SECONDS));
    }
    return replies;
  }

  @Test
  void twentySalesManagersAcceptOneLeadAndExactlyOneWins() throws Exception {
    String id = createLead("Contested").getString("id");
    act(id, "mark-sales-ready");
    long outboxBefore = outboxRows();

    List<Reply> replies = atOnce(20, i -> process(id, new JsonObject().put("action", "accept-sales")
        .put("ownerId", "owner-" + i).put("actor", "manager-" + i)));

    List<Integer> winners = new ArrayList<>();
    for (int i = 0; i < replies.size(); i++) {
      Reply reply = replies.get(i);
      if (reply.status() == 200) {
        winners.add(i);
      } else {
        assertThat(reply.status()).as("reply %d: %s", i, reply.body()).isEqualTo(409);
        assertThat(reply.detail()).contains("already accepted by sales");
      }
    }
    assertThat(winners).hasSize(1);
    int winner = winners.get(0);
    assertThat(replies.get(winner).body().getString("ownerId")).isEqualTo("owner-" + winner);

    JsonObject lead = lead(id);
    assertThat(lead.getString("ownerId")).isEqualTo("owner-" + winner);
    assertThat(lead.getBoolean("salesAccepted")).isTrue();
    assertThat(timelineFrom(lead, 3)).containsExactly(
        "salesAccepted:false->true|manager-" + winner + "|accept-sales",
        "ownerId:null->owner-" + winner + "|manager-" + winner + "|accept-sales");
    assertThat(count("SELECT count(*) FROM lead_timeline WHERE field = 'ownerId'")).isEqualTo(1);
    assertThat(outboxRows()).isEqualTo(outboxBefore);
  }

  @Test
  void concurrentQualificationFindingsAreAllKept() throws Exception {
    String id = createLead("Many telemarketers").getString("id");
    List<String> keys = List.of("budget", "authority", "need", "timeframe", "notes");

    for (int round = 1; round <= 3; round++) {
      int r = round;
      // Ten at once: every key twice, with different values.
      List<Reply> replies = atOnce(10, i -> patch("/v1/leads/" + id, new JsonObject().put("qualification",
          new JsonObject().put(keys.get(i % 5), "round " + r + " writer " + i))));

      Map<String, List<String>> written = new LinkedHashMap<>();
      for (int i = 0; i < replies.size(); i++) {
        assertThat(replies.get(i).status()).as("reply %d: %s", i, replies.get(i).body()).isEqualTo(200);
        written.computeIfAbsent(keys.get(i % 5), k -> new ArrayList<>()).add("round " + r + " writer " + i);
      }
      JsonObject qualification = lead(id).getJsonObject("qualification");
      assertThat(qualification.fieldNames()).containsExactlyInAnyOrderElementsOf(keys);
      written.forEach((key, values) -> assertThat(qualification.getString(key))
          .as("%s after round %d (a value from an earlier round is a lost update)", key, r).isIn(values));
    }

    // Five at once, each its own key: after the round every one of them is there.
    List<Reply> replies = atOnce(5, i -> patch("/v1/leads/" + id, new JsonObject().put("qualification",
        new JsonObject().put(keys.get(i), "final " + i))));
    replies.forEach(reply -> assertThat(reply.status()).isEqualTo(200));
    JsonObject expected = new JsonObject();
    for (int i = 0; i < 5; i++) {
      expected.put(keys.get(i), "final " + i);
    }
    assertThat(lead(id).getJsonObject("qualification")).isEqualTo(expected);
  }

  @Test
  void tenUsersTypeInTheSamePersonAndOneContactIsCreated() throws Exception {
    List<Reply> replies = atOnce(10, i -> post("/v1/contacts", new JsonObject()
        .put("email", (i % 2 == 0 ? " Same.Person@Example.com" : "same.person@example.COM ")).put("firstName", "T" + i)));

    List<Reply> created = replies.stream().filter(reply -> reply.status() == 201).toList();
    assertThat(created).hasSize(1);
    String id = created.get(0).body().getString("id");
    assertThat(replies).filteredOn(reply -> reply.status() != 201).hasSize(9).allSatisfy(reply -> {
      assertThat(reply.status()).isEqualTo(409);
      assertThat(reply.body().getString("existingId")).isEqualTo(id);
    });
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void concurrentAttributePatchesOnOneContactAreAllKept() throws Exception {
    String id = createContact("attrs@example.com").getString("id");

    List<Reply> replies = atOnce(10, i -> patch("/v1/contacts/" + id, new JsonObject()
        .put("attributes", new JsonObject().put("a" + i, "v" + i))));

    replies.forEach(reply -> assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200));
    JsonObject expected = new JsonObject();
    for (int i = 0; i < 10; i++) {
      expected.put("a" + i, "v" + i);
    }
    assertThat(ok(get("/v1/contacts/" + id)).getJsonObject("attributes")).isEqualTo(expected);
  }
}
