package io.leadcycle.processes;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.NotFound;
import io.leadcycle.postgres.Database;
import io.leadcycle.process.BusinessProcess;
import io.leadcycle.process.ProcessDefinition;
import io.leadcycle.process.ProcessStatus;
import io.leadcycle.store.FormStore;
import io.leadcycle.store.ProcessStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Process definitions through their life: a draft is written and rewritten in place, publishing makes it
 * live, and editing a live process publishes a new version (the earlier ones are kept: leads will run on a
 * version); retiring stops it taking new leads. The shipped process ({@code default}) is read-only. Each
 * change runs in one transaction holding the process's row lock, so two concurrent edits of a live process
 * make two versions, and two concurrent publishes cannot both succeed.
 */
public final class ProcessService {

  private final Database database;
  private final ProcessStore processes = new ProcessStore();
  private final FormStore forms = new FormStore();

  public ProcessService(Database database) {
    this.database = database;
  }

  /** A new draft, version 1. */
  public Future<BusinessProcess> create(ProcessDefinition definition) {
    return database.inTransaction(conn -> processes.create(conn, definition));
  }

  public Future<BusinessProcess> get(String id) {
    return database.read(conn -> processes.find(conn, id)).map(process -> found(process, id));
  }

  public Future<BusinessProcess.Version> version(String id, int version) {
    return database.read(conn -> processes.find(conn, id).compose(process -> {
      found(process, id);
      return processes.version(conn, id, version);
    })).map(found -> {
      if (found == null) {
        throw new NotFound("Process " + id + " has no version " + version + ".");
      }
      return found;
    });
  }

  /** A page of processes in creation order, only those in {@code status} unless it is null. */
  public Future<ProcessStore.Page> list(ProcessStatus status, Instant afterCreated, String afterId, int limit) {
    return database.read(conn -> processes.page(conn, status, afterCreated, afterId, limit));
  }

  /**
   * A draft's definition is replaced in place; a live process gets a new version, live at once; a retired
   * one and the shipped one are not edited.
   */
  public Future<BusinessProcess> replace(String id, ProcessDefinition definition) {
    return database.inTransaction(conn -> locked(conn, id).compose(process -> {
      refuseReadOnly(process, "edited");
      return switch (process.status()) {
        case DRAFT -> processes.replaceDraft(conn, id, definition);
        case LIVE -> processes.addVersion(conn, id, definition);
        case RETIRED -> throw new Conflict("A retired process is not edited: define a new one "
            + "(POST /v1/processes).");
      };
    }));
  }

  /** Draft to live. */
  public Future<BusinessProcess> publish(String id) {
    return database.inTransaction(conn -> locked(conn, id).compose(process -> {
      if (process.status() != ProcessStatus.DRAFT) {
        throw new Conflict("Only a draft is published; this process is " + process.status().wireName() + "."
            + (process.status() == ProcessStatus.LIVE ? " Editing a live process (PUT) publishes a new version." : ""));
      }
      return processes.publish(conn, id);
    }));
  }

  /**
   * Live to retired: it takes no new leads. Refused while a form still creates its leads on it (the form would
   * go on doing so); saving a form share-locks the process, so a form saved concurrently is seen here.
   */
  public Future<BusinessProcess> retire(String id) {
    return database.inTransaction(conn -> locked(conn, id).compose(process -> {
      refuseReadOnly(process, "retired");
      if (process.status() != ProcessStatus.LIVE) {
        throw new Conflict("Only a live process is retired; this process is " + process.status().wireName() + ".");
      }
      return forms.usingProcess(conn, id, FORMS_NAMED + 1).compose(using -> {
        if (!using.isEmpty()) {
          throw new Conflict(formsInUse(id, using));
        }
        return processes.retire(conn, id);
      });
    }));
  }

  /** How many of the forms that still use a process a refused retire names. */
  static final int FORMS_NAMED = 10;

  private static String formsInUse(String id, List<Map.Entry<String, String>> using) {
    String named = using.stream().limit(FORMS_NAMED)
        .map(form -> form.getKey() + " (\"" + form.getValue() + "\")")
        .collect(Collectors.joining(", "));
    return "Process " + id + " is still used by " + (using.size() > FORMS_NAMED ? "more than " + FORMS_NAMED
        + " forms, among them " : using.size() == 1 ? "form " : "forms ") + named
        + ": move them to another process first (PATCH /v1/forms/{formId} with processId).";
  }

  private static void refuseReadOnly(BusinessProcess process, String what) {
    if (process.readOnly()) {
      throw new Conflict("The shipped process \"" + process.id() + "\" is read-only: it is not " + what
          + ". Define your own process (POST /v1/processes with its stages) to change stages or fields.");
    }
  }

  private Future<BusinessProcess> locked(SqlConnection conn, String id) {
    return processes.lock(conn, id).map(process -> found(process, id));
  }

  private static BusinessProcess found(BusinessProcess process, String id) {
    if (process == null) {
      throw new NotFound("No process with id " + id + ".");
    }
    return process;
  }
}
