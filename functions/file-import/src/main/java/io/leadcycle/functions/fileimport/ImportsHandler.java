package io.leadcycle.functions.fileimport;

import io.leadcycle.domain.ImportRow;
import io.leadcycle.store.ImportStore;

import io.leadcycle.aws.AwsResources;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.domain.ImportRow.RowError;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.http.Access;
import io.leadcycle.http.Csv;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.HttpRequest;
import io.leadcycle.http.HttpResponse;
import io.leadcycle.events.JsonViews;
import io.leadcycle.http.Paging;
import io.leadcycle.http.Problem;
import io.leadcycle.http.Route;
import io.leadcycle.imports.ImportService;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.store.ImportStore.StoredError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The import management routes (docs/import.md): create an import (a small CSV in the request itself,
 * or a job with an upload URL for a file of any size), list and read jobs, and read a job's row errors
 * as JSON or CSV. The file itself is read by {@link FileImportHandler} when it arrives.
 */
public final class ImportsHandler extends HttpFunction {

  private final Supplier<Database> database;

  static final int ERRORS_DEFAULT_LIMIT = 1_000;
  static final int ERRORS_MAX_LIMIT = 10_000;
  /** A CSV answer stays well inside Lambda's 6 MB response limit; the rest is on the next page. */
  static final long CSV_MAX_BYTES = 4L * 1024 * 1024;
  static final List<String> ERROR_COLUMNS = List.of("row", "column", "value", "reason");

  private final Supplier<ImportFiles> files;

  /** The constructor Lambda calls: the database and the bucket come from the environment. */
  public ImportsHandler() {
    this.database = SharedDatabase.warmingUp();
    this.files = AwsResources.IMPORT_FILES;
  }

  public ImportsHandler(Supplier<Database> database, ImportFiles files) {
    this.database = database;
    this.files = () -> files;
  }

  @Override
  protected List<Route> defineRoutes() {
    return List.of(
        new Route("POST", "/v1/imports", Access.MANAGEMENT, this::create),
        new Route("GET", "/v1/imports", Access.MANAGEMENT, this::list),
        new Route("GET", "/v1/imports/{importId}", Access.MANAGEMENT, this::get),
        new Route("GET", "/v1/imports/{importId}/errors", Access.MANAGEMENT, this::errors));
  }

  /** API Gateway's own limit: {@link #create} answers a CSV over 5 MiB with where to send it instead. */
  static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

  @Override
  protected int maxBodyBytes(Route route) {
    return route.method().equals("POST") ? MAX_REQUEST_BYTES : MAX_BODY_BYTES;
  }

  /**
   * {@code text/csv} with {@code ?entity=contacts|leads} (and optionally {@code fileName}, {@code
   * contactStrategyId}): the file itself, up to 5 MiB → 202 with the job, which runs at once. JSON
   * {@code {entity, fileName, mapping?, contactStrategyId?, context?, unknownColumns?, accountMatching?}}
   * → 201 with the job and {@code uploadUrl}, where the file is PUT.
   */
  private HttpResponse create(HttpRequest request) {
    String type = request.mediaType();
    if ("text/csv".equals(type) || "application/csv".equals(type)) {
      if (request.body().length > ImportService.MAX_BODY_BYTES) {
        throw Problem.tooLarge("A CSV body may be up to 5 MiB; for a larger file POST {entity, fileName} as JSON"
            + " and PUT the file to the uploadUrl of the answer.");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      for (String name : List.of("entity", "fileName", "contactStrategyId", "unknownColumns", "accountMatching")) {
        if (request.queryParameter(name) != null) {
          body.put(name, request.queryParameter(name));
        }
      }
      body.putIfAbsent("fileName", "upload.csv");
      ImportRequest parsed = ImportRequest.parse(body);
      return HttpResponse.json(202, ImportViews.job(service().createWithFile(parsed, request.body())));
    }
    if (!request.isJson()) {
      throw Problem.unsupportedMediaType("Send text/csv (the file, up to 5 MiB, with ?entity=contacts|leads) or"
          + " application/json (a job with an upload URL); got " + request.describeMediaType() + ".");
    }
    ImportService.Created created = service().create(ImportRequest.parse(request.jsonMap()));
    return HttpResponse.json(201, ImportViews.job(created.job()).put("uploadUrl", created.uploadUrl().toString()));
  }

  /** {@code ?limit=&after=}: the jobs, newest first. */
  private HttpResponse list(HttpRequest request) {
    int limit = Paging.limit(request);
    Paging.Cursor after = Paging.after(request);
    List<ImportJob> jobs = service().list(after == null ? null : after.created(), after == null ? null : after.id(),
        limit + 1);
    List<ImportJob> page = jobs.size() > limit ? jobs.subList(0, limit) : jobs;
    String next = jobs.size() > limit ? Paging.next(page.get(page.size() - 1).createdAt(), page.get(page.size() - 1).id())
        : null;
    return HttpResponse.json(200, JsonViews.page(page, ImportViews::job, next));
  }

  private HttpResponse get(HttpRequest request) {
    return HttpResponse.json(200, ImportViews.job(service().get(importId(request))));
  }

  /**
   * {@code ?format=json|csv&limit=&after=}: the rows that were not imported, in row order, each with its
   * row (as a spreadsheet numbers it), column, value and reason; the next page in {@code Link}.
   */
  private HttpResponse errors(HttpRequest request) {
    UUID id = importId(request);
    String format = request.queryParameter("format");
    boolean csv = "csv".equals(format);
    if (format != null && !csv && !"json".equals(format)) {
      throw new InvalidInput("format", "json (the default) or csv");
    }
    int limit = Paging.limit(request, ERRORS_DEFAULT_LIMIT, ERRORS_MAX_LIMIT);
    long after = after(request);
    List<StoredError> found = service().errors(id, after, limit + 1);
    List<StoredError> page = found.size() > limit ? found.subList(0, limit) : found;
    boolean more = found.size() > limit;
    if (!csv) {
      JsonArray items = new JsonArray();
      page.forEach(e -> items.add(ImportViews.error(e.error())));
      String next = more ? Paging.next(Long.toString(page.get(page.size() - 1).position())) : null;
      return Paging.withNext(HttpResponse.json(200, new JsonObject().put("items", items).put("next", next)), request,
          next, List.of("format", "limit"));
    }
    Csv table = new Csv().record(ERROR_COLUMNS);
    StoredError last = null;
    for (StoredError stored : page) {
      RowError e = stored.error();
      if (!table.recordWithin(List.of(Csv.value(e.row()), Csv.text(e.column()), Csv.text(e.value()), Csv.text(e.reason())),
          CSV_MAX_BYTES)) {
        more = true;
        break;
      }
      last = stored;
    }
    String next = more && last != null ? Paging.next(Long.toString(last.position())) : null;
    HttpResponse response = new HttpResponse(200, Map.of("content-type", "text/csv; charset=utf-8",
        "content-disposition", "attachment; filename=\"import-" + id + "-errors.csv\""), table.toString());
    return Paging.withNext(response, request, next, List.of("format", "limit"));
  }

  private static long after(HttpRequest request) {
    String key = Paging.afterKey(request);
    if (key == null) {
      return 0;
    }
    try {
      return Long.parseLong(key);
    } catch (NumberFormatException e) {
      throw new InvalidInput("after", "not a cursor from a previous page's \"next\"");
    }
  }

  private ImportService service() {
    return new ImportService(database(), files.get());
  }

  private static UUID importId(HttpRequest request) {
    return request.uuidPathParameter("importId", "import");
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
