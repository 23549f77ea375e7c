package io.leadcycle.forms;

import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.NotFound;
import io.leadcycle.postgres.Database;
import io.leadcycle.store.FormStore;
import io.leadcycle.store.MatchingStrategyStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Map;

/** Marketing pages and events as users configure them. */
public final class FormService {

  /** A saved form, and whether saving created it (only then does its signing secret leave the database). */
  public record Saved(Form form, boolean created) {
  }

  private final Database database;
  private final FormStore forms = new FormStore();
  private final MatchingStrategyStore strategies = new MatchingStrategyStore();

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
    return Future.all(contactStrategy, leadStrategy)
        .compose(found -> {
          definition.checkStrategies(contactStrategy.result(), leadStrategy.result());
          return forms.put(conn, definition, newSecret);
        })
        .compose(created -> forms.find(conn, definition.id()).map(form -> new Saved(form, created)));
  }

  /** The form, or null. */
  public Future<Form> find(String id) {
    return database.read(conn -> forms.find(conn, id));
  }

  public Future<List<Form>> list(String afterId, int limit) {
    return database.read(conn -> forms.list(conn, afterId, limit));
  }
}
