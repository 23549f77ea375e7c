package io.leadcycle.forms;

import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.StrategyDefinition;
import io.leadcycle.postgres.Database;
import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.process.ProcessDefinition;
import io.leadcycle.process.ProcessVersion;
import io.leadcycle.store.ProcessStore;
import java.util.ArrayList;
import io.leadcycle.processes.ProcessCatalog;
import io.leadcycle.store.FormStore;
import io.leadcycle.store.IntakeReceiptStore;
import io.leadcycle.store.IntakeReceiptStore.LoggedSubmission;
import io.leadcycle.store.MatchingStrategyStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Marketing pages and events as users configure them, the matching strategies they use, and their submission log. */
public final class FormService {

  /** A saved form, and whether saving created it (only then does its signing secret leave the database). */
  public record Saved(Form form, boolean created) {
  }

  private final Database database;
  private final FormStore forms = new FormStore();
  private final MatchingStrategyStore strategies = new MatchingStrategyStore();
  private final IntakeReceiptStore receipts = new IntakeReceiptStore();
  private final ProcessCatalog catalog = new ProcessCatalog();
  private final ProcessStore processes = new ProcessStore();

  public FormService(Database database) {
    this.database = database;
  }

  /**
   * Creates or replaces a form in one transaction: its strategies are checked, the form written and
   * read back together. A new form takes {@code newSecret}; a replaced one keeps its own.
   */
  public Future<Saved> put(FormDefinition definition, String newSecret) {
    return database.inTransaction(conn -> save(conn, definition, newSecret));
  }

  /**
   * Changes some settings of an existing form and keeps the others, in one transaction: the form is
   * read and locked, the changes laid over it, the result validated and written like a {@code PUT}.
   *
   * @throws NotFound when there is no such form (a PATCH never creates one)
   */
  public Future<Form> patch(String id, Map<String, ?> changes) {
    return database.inTransaction(conn -> forms.lock(conn, id).compose(current -> {
      if (current == null) {
        throw new NotFound("No form with id " + id + ".");
      }
      FormDefinition patched = current.definition().patched(changes);
      // The row exists and is locked, so the secret passed for an insert is never used; it must not be null.
      return save(conn, patched, current.signingSecret()).map(Saved::form);
    }));
  }

  private Future<Saved> save(SqlConnection conn, FormDefinition definition, String newSecret) {
    Future<MatchingStrategy> contactStrategy = strategies.find(conn, definition.contactStrategyId());
    Future<MatchingStrategy> leadStrategy = strategies.find(conn, definition.leadStrategyId());
    // The process row is share-locked before it is read: a concurrent retire (which takes it FOR UPDATE and then
    // looks for forms on it) either sees this form or makes this save find the process retired.
    Future<Void> shared = ProcessDefinition.DEFAULT_ID.equals(definition.processId()) ? Future.succeededFuture()
        : processes.share(conn, definition.processId());
    Future<ProcessVersion> process = catalog.live(conn, definition.processId(), "processId");
    return Future.join(contactStrategy, leadStrategy, shared, process)
        .transform(done -> {
          List<FieldError> errors = new ArrayList<>();
          try {
            definition.checkStrategies(contactStrategy.result(), leadStrategy.result());
          } catch (InvalidInput e) {
            errors.addAll(e.errors());
          }
          if (process.failed() && process.cause() instanceof InvalidInput e) {
            errors.addAll(e.errors());
          }
          if (done.failed() && errors.isEmpty()) {
            return Future.<Boolean>failedFuture(done.cause());
          }
          if (!errors.isEmpty()) {
            return Future.<Boolean>failedFuture(new InvalidInput(errors));
          }
          return forms.put(conn, definition, newSecret);
        })
        .compose(created -> forms.find(conn, definition.id()).map(form -> new Saved(form, created)));
  }

  /** A rotated form's new secret, shown once, and until when the secret it replaced is still accepted. */
  public record Rotated(Form form, String secret, Instant previousSecretExpiresAt) {
  }

  /**
   * Gives the form {@code newSecret}; its current secret keeps being accepted beside it for
   * {@link Form#PREVIOUS_SECRET_OVERLAP} from {@code now} (a previous secret of an earlier rotation stops at once).
   *
   * @throws NotFound when there is no such form
   */
  public Future<Rotated> rotateSecret(String id, String newSecret, Instant now) {
    // Truncated as PostgreSQL stores it, so the answer says exactly the moment intake compares with.
    Instant expires = now.plus(Form.PREVIOUS_SECRET_OVERLAP).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    return database.inTransaction(conn -> forms.rotateSecret(conn, id, newSecret, expires)).map(form -> {
      if (form == null) {
        throw new NotFound("No form with id " + id + ".");
      }
      return new Rotated(form, newSecret, form.previousSecretExpiresAt());
    });
  }

  /** The form, or null. */
  public Future<Form> find(String id) {
    return database.read(conn -> forms.find(conn, id));
  }

  public Future<List<Form>> list(String afterId, int limit) {
    return database.read(conn -> forms.list(conn, afterId, limit));
  }

  /**
   * Up to {@code limit} submissions of the form, newest first, after the position ({@code afterAt},
   * {@code afterKey}) of the previous page's last one (both null: from the newest).
   *
   * @throws NotFound when there is no such form (an empty log is a form nobody submitted yet)
   */
  public Future<List<LoggedSubmission>> submissions(String formId, Instant afterAt, String afterKey, int limit) {
    return database.read(conn -> forms.find(conn, formId).compose(form -> {
      if (form == null) {
        throw new NotFound("No form with id " + formId + ".");
      }
      return receipts.list(conn, formId, afterAt, afterKey, limit);
    }));
  }

  /** Creates a matching strategy (a conflict when its id is taken). */
  public Future<MatchingStrategy> createStrategy(StrategyDefinition definition) {
    return database.inTransaction(conn -> strategies.create(conn, definition));
  }

  /** Every matching strategy, the shipped defaults included. */
  public Future<List<MatchingStrategy>> strategies() {
    return database.read(strategies::list);
  }
}
