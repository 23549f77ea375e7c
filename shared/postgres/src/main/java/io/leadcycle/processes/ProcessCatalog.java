package io.leadcycle.processes;

import io.leadcycle.domain.InvalidInput;
import io.leadcycle.process.BusinessProcess;
import io.leadcycle.process.ProcessDefinition;
import io.leadcycle.process.ProcessStatus;
import io.leadcycle.process.ProcessVersion;
import io.leadcycle.store.ProcessStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process versions leads run on, for the services that move leads. A published version never changes, so
 * each is read once per process (a function instance) and kept; which version is a process's latest is read
 * each time a lead chooses it, because editing a live process publishes a new one. The shipped process is
 * never read: it is {@link ProcessVersion#DEFAULT}.
 */
public final class ProcessCatalog {

  /** Published versions by {@code id/version}: immutable, so sharing them across instances is safe. */
  private static final Map<String, ProcessVersion> PUBLISHED = new ConcurrentHashMap<>();

  private final ProcessStore processes = new ProcessStore();

  /** The version a lead runs on (it exists: leads are only ever put on published versions). */
  public Future<ProcessVersion> version(SqlClient client, String processId, int version) {
    if (isDefault(processId, version)) {
      return Future.succeededFuture(ProcessVersion.DEFAULT);
    }
    ProcessVersion known = PUBLISHED.get(processId + "/" + version);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return processes.version(client, processId, version).map(found -> {
      if (found == null || found.publishedAt() == null) {
        throw new IllegalStateException("a lead runs on process " + processId + " v" + version
            + ", which is not a published version");
      }
      return remember(new ProcessVersion(processId, version, found.definition()));
    });
  }

  /**
   * The live process {@code processId} at its latest version, for a lead that chooses it ({@code field} names
   * where the request said so: {@code processId}); 400 when there is no such process or it is not live.
   */
  public Future<ProcessVersion> live(SqlClient client, String processId, String field) {
    if (processId == null || ProcessDefinition.DEFAULT_ID.equals(processId)) {
      return Future.succeededFuture(ProcessVersion.DEFAULT);
    }
    return processes.find(client, processId).map(process -> {
      if (process == null) {
        throw new InvalidInput(field, "no process with id " + processId + " (GET /v1/processes lists them)");
      }
      if (process.status() != ProcessStatus.LIVE) {
        throw new InvalidInput(field, "process " + processId + " is " + process.status().wireName()
            + (process.status() == ProcessStatus.DRAFT ? ": publish it first" : ": it takes no new leads"));
      }
      return latest(process);
    });
  }

  /**
   * The latest version of {@code processId} whatever its status: a form keeps creating leads on the process it
   * was set up with even if that process was retired since (a submission is never lost for it).
   */
  public Future<ProcessVersion> latest(SqlClient client, String processId) {
    if (processId == null || ProcessDefinition.DEFAULT_ID.equals(processId)) {
      return Future.succeededFuture(ProcessVersion.DEFAULT);
    }
    return processes.find(client, processId).map(process -> {
      if (process == null || process.publishedAt() == null) {
        throw new IllegalStateException("process " + processId + " was never published");
      }
      return latest(process);
    });
  }

  private static ProcessVersion latest(BusinessProcess process) {
    ProcessVersion known = PUBLISHED.get(process.id() + "/" + process.version());
    return known != null ? known : remember(new ProcessVersion(process.id(), process.version(), process.definition()));
  }

  private static ProcessVersion remember(ProcessVersion version) {
    PUBLISHED.putIfAbsent(version.processId() + "/" + version.version(), version);
    return version;
  }

  private static boolean isDefault(String processId, int version) {
    return ProcessDefinition.DEFAULT_ID.equals(processId) && version == 1;
  }
}
