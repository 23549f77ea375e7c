package io.leadcycle.forms;

import io.leadcycle.domain.Form;
import io.leadcycle.domain.FormDefinition;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.runtime.Database;
import io.leadcycle.store.FormStore;
import io.leadcycle.store.MatchingStrategyStore;
import io.vertx.core.Future;
import java.util.List;

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
    return database.inTransaction(conn -> {
      Future<MatchingStrategy> contactStrategy = strategies.find(conn, definition.contactStrategyId());
      Future<MatchingStrategy> leadStrategy = strategies.find(conn, definition.leadStrategyId());
      return Future.all(contactStrategy, leadStrategy)
          .compose(found -> {
            definition.checkStrategies(contactStrategy.result(), leadStrategy.result());
            return forms.put(conn, definition, newSecret);
          })
          .compose(created -> forms.find(conn, definition.id()).map(form -> new Saved(form, created)));
    });
  }

  /** The form, or null. */
  public Future<Form> find(String id) {
    return database.read(conn -> forms.find(conn, id));
  }

  public Future<List<Form>> list(String afterId, int limit) {
    return database.read(conn -> forms.list(conn, afterId, limit));
  }
}
