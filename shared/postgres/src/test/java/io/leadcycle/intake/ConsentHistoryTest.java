package io.leadcycle.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.domain.ConsentChange;
import io.leadcycle.domain.ConsentSource;
import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.Submission;
import io.leadcycle.postgres.Database;
import io.leadcycle.store.ContactStore;
import io.leadcycle.store.FormStore;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consent history (V25) as intake writes it: every change of a purpose is one entry with its source (the form and
 * the submission), nothing else is, and the contact's consent is always what folding its history gives — whatever
 * sequence of submissions, forms, update modes and senders led there, and under concurrent submissions.
 */
class ConsentHistoryTest {

  private final Database database = TestDatabase.database();
  private final FormStore forms = new FormStore();
  private final ContactStore contacts = new ContactStore();
  private IntakeService intake;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    intake = new IntakeService(database);
  }

  private Form form(String id, Map<String, Object> definition) {
    forms.put(database.pool(), FormDefinition.parse(id, definition), "whsec_c2VjcmV0").await();
    return forms.find(database.pool(), id).await();
  }

  private IntakeResult submit(Form form, String submissionId, String email, Map<String, Object> consent, Sender sender) {
    Submission submission = Submission.parse(submissionId, null, Map.of("email", email, "companyName", "Acme"),
        consent, form);
    return intake.submit(form, submission, null, sender, null).await();
  }

  private static Map<String, Object> consent(Object... purposeValues) {
    Map<String, Object> consent = new LinkedHashMap<>();
    for (int i = 0; i < purposeValues.length; i += 2) {
      consent.put((String) purposeValues[i], purposeValues[i + 1]);
    }
    return consent;
  }

  /** The contact's history, oldest first, as {@code "purpose=value kind:id:submission actor"} lines. */
  private List<String> history(UUID contactId) {
    List<ConsentChange> newestFirst = database.read(conn -> contacts.consentHistory(conn, contactId)).await();
    List<String> lines = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      lines.add(line(newestFirst.get(i)));
    }
    return lines;
  }

  private static String line(ConsentChange c) {
    return c.purpose() + "=" + c.value() + " " + c.source().kind() + ":" + c.source().id() + ":"
        + c.source().submissionId() + " " + c.source().actor();
  }

  private Map<String, Object> storedConsent(UUID contactId) {
    Row row = database.pool().preparedQuery("SELECT consent FROM contacts WHERE id = $1").execute(Tuple.of(contactId))
        .await().iterator().next();
    JsonObject consent = row.getJsonObject("consent");
    return consent == null ? null : consent.getMap();
  }

  @Test
  void eachChangeIsOneEntryWithItsFormAndSubmissionAndRepeatsAreNone() {
    Form page = form("launch", Map.of("name", "Launch page", "kind", "marketing_page"));
    Form event = form("summit", Map.of("name", "Summit", "kind", "event", "updateMode", "only_contacts"));
    UUID ada = submit(page, "s-1", "ada@example.com", consent("newsletter", true, "events", true), Sender.SIGNED)
        .contact().id();
    submit(page, "s-2", "ada@example.com", consent("newsletter", true), Sender.SIGNED); // the same: no change
    submit(event, "e-1", "ADA@example.com", consent("newsletter", false), Sender.SIGNED); // withdrawn
    submit(page, "s-3", "ada@example.com", null, Sender.SIGNED); // no consent sent: nothing changes

    // jsonb keeps object keys shortest first, so a new contact's purposes are entered in that order.
    assertThat(history(ada)).containsExactly(
        "events=true form:launch:s-1 intake",
        "newsletter=true form:launch:s-1 intake",
        "newsletter=false form:summit:e-1 intake");
    assertThat(storedConsent(ada)).isEqualTo(Map.of("newsletter", false, "events", true));
    List<ConsentChange> newestFirst = database.read(conn -> contacts.consentHistory(conn, ada)).await();
    assertThat(newestFirst.get(0).granted()).as("a withdrawal").isFalse();
    assertThat(newestFirst.get(1).granted()).isTrue();
    assertThat(ConsentChange.fold(newestFirst)).isEqualTo(storedConsent(ada));
  }

  @Test
  void anUnsignedPostWithdrawsToo() {
    Form open = form("open", Map.of("name", "Open page", "kind", "marketing_page", "requireSignature", false));
    UUID ada = submit(open, "u-1", "ada@example.com", consent("newsletter", true), Sender.UNSIGNED).contact().id();
    submit(open, "u-2", "ada@example.com", consent("newsletter", false), Sender.UNSIGNED);

    assertThat(history(ada)).containsExactly("newsletter=true form:open:u-1 intake",
        "newsletter=false form:open:u-2 intake");
    assertThat(storedConsent(ada)).isEqualTo(Map.of("newsletter", false));
  }

  @Test
  void aReplayedSubmissionWritesNoSecondEntry() {
    Form page = form("launch", Map.of("name", "Launch page", "kind", "marketing_page"));
    UUID ada = submit(page, "s-1", "ada@example.com", consent("newsletter", true), Sender.SIGNED).contact().id();
    IntakeResult replay = submit(page, "s-1", "ada@example.com", consent("newsletter", true), Sender.SIGNED);

    assertThat(replay.replayed()).isTrue();
    assertThat(history(ada)).containsExactly("newsletter=true form:launch:s-1 intake");
  }

  @Test
  void aFormThatWritesNoContactsWritesNoConsent() {
    Form leadsOnly = form("leads", Map.of("name", "Leads only", "kind", "marketing_page", "updateMode", "only_leads"));
    Form page = form("launch", Map.of("name", "Launch page", "kind", "marketing_page"));
    UUID ada = submit(page, "s-1", "ada@example.com", consent("newsletter", true), Sender.SIGNED).contact().id();
    submit(leadsOnly, "l-1", "ada@example.com", consent("newsletter", false), Sender.SIGNED);

    assertThat(history(ada)).containsExactly("newsletter=true form:launch:s-1 intake");
    assertThat(storedConsent(ada)).isEqualTo(Map.of("newsletter", true));
  }

  /**
   * The property: for random sequences of submissions (three people, forms of every kind of contact write — new
   * person, account linking, only contacts, unsigned, leads only — and consent values of every JSON type, null
   * included), the history is exactly the changes a model of the merge predicts, each with its form and submission,
   * and the contact's consent equals the fold of its history, by SQL and by {@link ConsentChange#fold}.
   */
  @Test
  void theCurrentConsentIsAlwaysTheFoldOfTheHistory() {
    for (long seed = 1; seed <= 12; seed++) {
      TestDatabase.reset();
      Random random = new Random(seed);
      List<Form> all = List.of(
          form("page", Map.of("name", "Page", "kind", "marketing_page")),
          form("linked", Map.of("name", "Linked", "kind", "marketing_page", "accountMatching", "domain",
              "createAccounts", true)),
          form("event", Map.of("name", "Event", "kind", "event", "updateMode", "only_contacts")),
          form("open", Map.of("name", "Open", "kind", "marketing_page", "requireSignature", false)),
          form("leads", Map.of("name", "Leads", "kind", "marketing_page", "updateMode", "only_leads")),
          form("none", Map.of("name", "None", "kind", "marketing_page", "updateMode", "no_update")));
      List<String> people = List.of("ada@acme.io", "bob@example.com", "cy@acme.io");
      List<String> purposes = List.of("newsletter", "events", "marketing", "linkedin:0");
      // An object value's members in jsonb's order (shorter names first), so that it reads back the same.
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("text", "v2");
      object.put("given", true);
      List<Object> values = new ArrayList<>(List.of(true, false, "yes", object, 1));
      values.add(null);
      Map<String, Map<String, Object>> modelConsent = new HashMap<>();
      Map<String, List<String>> modelHistory = new HashMap<>();
      Map<String, UUID> ids = new HashMap<>();

      for (int step = 0; step < 40; step++) {
        Form form = all.get(random.nextInt(all.size()));
        String email = people.get(random.nextInt(people.size()));
        Map<String, Object> consent = null;
        if (random.nextInt(5) > 0) {
          consent = new LinkedHashMap<>();
          int n = random.nextInt(3);
          for (int i = 0; i < n; i++) {
            consent.put(purposes.get(random.nextInt(purposes.size())), values.get(random.nextInt(values.size())));
          }
        }
        String submissionId = "s-" + seed + "-" + step;
        Sender sender = form.id().equals("open") ? Sender.UNSIGNED : Sender.SIGNED;
        IntakeResult result = submit(form, submissionId, email, consent, sender);
        boolean writesContacts = form.updateMode().writesContacts();
        if (result.contact() != null) {
          ids.put(email, result.contact().id());
        }
        if (!writesContacts || consent == null) {
          continue;
        }
        // The model of the merge: purposes named replace theirs; one entry per purpose whose value changed.
        boolean known = modelConsent.containsKey(email);
        Map<String, Object> current = modelConsent.computeIfAbsent(email, e -> new LinkedHashMap<>());
        List<String> entries = modelHistory.computeIfAbsent(email, e -> new ArrayList<>());
        List<String> fresh = new ArrayList<>();
        for (Map.Entry<String, Object> e : consent.entrySet()) {
          if (!known || !current.containsKey(e.getKey()) || !Objects.equals(current.get(e.getKey()), e.getValue())) {
            fresh.add(e.getKey() + "=" + e.getValue() + " form:" + form.id() + ":" + submissionId + " intake");
          }
          current.put(e.getKey(), e.getValue());
        }
        // Within one submission, the order of entries is jsonb's key order; compare it as a set.
        fresh.sort(null);
        entries.addAll(fresh);
      }

      for (String email : people) {
        UUID id = ids.get(email);
        if (id == null) {
          continue;
        }
        List<String> actual = history(id);
        List<String> expected = modelHistory.getOrDefault(email, List.of());
        assertThat(sortedWithinSubmissions(actual)).as("seed %d, %s", seed, email)
            .containsExactlyElementsOf(expected);
        Map<String, Object> stored = storedConsent(id);
        Map<String, Object> folded = ConsentChange.fold(database.read(conn -> contacts.consentHistory(conn, id)).await());
        assertThat(stored == null ? Map.of() : stored).as("seed %d, %s: the contact's consent is the fold", seed, email)
            .isEqualTo(folded);
        assertThat(folded).isEqualTo(modelConsent.getOrDefault(email, Map.of()));
      }
      assertFoldInSql("seed " + seed);
    }
  }

  /** Entries of one submission sorted among themselves (jsonb's key order is not the model's). */
  private static List<String> sortedWithinSubmissions(List<String> lines) {
    List<String> sorted = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= lines.size(); i++) {
      if (i == lines.size() || !source(lines.get(i)).equals(source(lines.get(start)))) {
        List<String> group = new ArrayList<>(lines.subList(start, i));
        group.sort(null);
        sorted.addAll(group);
        start = i;
      }
    }
    return sorted;
  }

  private static String source(String line) {
    return line.substring(line.lastIndexOf(" form:"));
  }

  /** Every contact's consent equals, in SQL, each purpose at the value of its newest entry. */
  private void assertFoldInSql(String description) {
    long differing = TestDatabase.count("""
        SELECT count(*) FROM contacts c
         WHERE coalesce(c.consent, '{}'::jsonb) IS DISTINCT FROM coalesce(
                 (SELECT jsonb_object_agg(purpose, value) FROM (
                    SELECT DISTINCT ON (purpose) purpose, value FROM contact_consent_history h
                     WHERE h.contact_id = c.id ORDER BY purpose, id DESC) newest), '{}'::jsonb)""");
    assertThat(differing).as(description).isZero();
  }

  /**
   * Submissions of one person granting and withdrawing at once: each is entered only if it changed the value the one
   * before it left (the diff is taken under the contact's lock, in the same statement), and the fold is the result.
   */
  @Test
  void concurrentGrantsAndWithdrawalsKeepTheHistoryTrue() throws Exception {
    Form page = form("launch", Map.of("name", "Launch page", "kind", "marketing_page"));
    submit(page, "first", "ada@example.com", consent("newsletter", true), Sender.SIGNED);
    int submissions = 24;
    ExecutorService pool = Executors.newFixedThreadPool(submissions);
    CountDownLatch start = new CountDownLatch(1);
    List<java.util.concurrent.Future<IntakeResult>> answers = new ArrayList<>();
    for (int i = 0; i < submissions; i++) {
      boolean grant = i % 2 == 0;
      String id = "c-" + i;
      answers.add(pool.submit((Callable<IntakeResult>) () -> {
        start.await();
        return submit(page, id, "ada@example.com", consent("newsletter", grant, "events", true), Sender.SIGNED);
      }));
    }
    start.countDown();
    UUID ada = null;
    for (java.util.concurrent.Future<IntakeResult> answer : answers) {
      ada = answer.get().contact().id();
    }
    pool.shutdown();

    UUID contactId = ada;
    List<ConsentChange> newestFirst = database.read(conn -> contacts.consentHistory(conn, contactId)).await();
    List<Object> newsletter = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      if (newestFirst.get(i).purpose().equals("newsletter")) {
        newsletter.add(newestFirst.get(i).value());
      }
    }
    for (int i = 1; i < newsletter.size(); i++) {
      assertThat(newsletter.get(i)).as("entry %d changes the value before it", i).isNotEqualTo(newsletter.get(i - 1));
    }
    assertThat(newestFirst).filteredOn(c -> c.purpose().equals("events")).hasSize(1);
    assertThat(ConsentChange.fold(newestFirst)).isEqualTo(storedConsent(ada));
    assertFoldInSql("concurrent");
  }

  @Test
  void aConsentWrittenWithoutItsSourceIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> database.inTransaction(conn -> contacts.insert(conn,
            UUID.randomUUID(), new io.leadcycle.domain.ContactDetails("x@example.com", null, null, null, null, null, null, Map.of()), Map.of("newsletter", true), null, null))
        .await()).isInstanceOf(IllegalArgumentException.class);
    assertThat(ConsentSource.form("f", "s", "intake").kind()).isEqualTo("form");
  }
}
