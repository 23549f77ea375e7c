package io.leadcycle.functions.fileimport;

import io.leadcycle.domain.ImportRow;
import io.leadcycle.store.ImportStore;

import io.leadcycle.aws.AwsResources;
import io.leadcycle.postgres.SharedDatabase;
import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.domain.ImportRow.RowError;
import io.leadcycle.domain.FieldError;
import io.leadcycle.domain.ImportPreview;
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
import java.util.Arrays;
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
        new Route("POST", "/v1/imports/preview", Access.MANAGEMENT, this::preview),
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
   * {@code text/csv} with {@code ?entity=contacts|leads} and the JSON flow's options as query parameters
   * ({@link #optionsOf}): the file itself, up to 5 MiB → 202 with the job, which runs at once. JSON
   * {@code {entity, fileName, mapping?, contactStrategyId?, context?, unknownColumns?, accountMatching?, source?}}
   * → 201 with the job and {@code uploadUrl}, where the file is PUT.
   */
  private HttpResponse create(HttpRequest request) {
    if (isCsv(request)) {
      checkCsvSize(request);
      ImportRequest parsed = ImportRequest.parse(optionsOf(request, List.of()));
      return HttpResponse.json(202, ImportViews.job(service().createWithFile(parsed, request.body())));
    }
    if (!request.isJson()) {
      throw Problem.unsupportedMediaType("Send text/csv (the file, up to 5 MiB, with ?entity=contacts|leads) or"
          + " application/json (a job with an upload URL); got " + request.describeMediaType() + ".");
    }
    ImportService.Created created = service().create(ImportRequest.parse(request.jsonMap()));
    return HttpResponse.json(201, ImportViews.job(created.job()).put("uploadUrl", created.uploadUrl().toString()));
  }

  /**
   * What an import would do, writing nothing: the bodies of an import ({@code text/csv} with the options
   * as query parameters, or JSON with the options and the file's text in {@code csv}), and {@code ?rows=}
   * (how many rows to show, 20 by default). A file whose header cannot be read is {@code 422}.
   */
  private HttpResponse preview(HttpRequest request) {
    int rows = rowsShown(request.queryParameter("rows"));
    ImportRequest parsed;
    byte[] file;
    if (isCsv(request)) {
      checkCsvSize(request);
      parsed = ImportRequest.parse(optionsOf(request, List.of("rows", "partial")));
      file = request.body();
    } else if (request.isJson()) {
      Map<String, Object> body = new LinkedHashMap<>(request.jsonMap());
      Object csv = body.remove("csv");
      if (!(csv instanceof String text)) {
        throw new InvalidInput("csv", "the file's text (or send the file itself as text/csv)");
      }
      body.putIfAbsent("fileName", "upload.csv");
      parsed = ImportRequest.parse(body);
      file = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } else {
      throw Problem.unsupportedMediaType("Send text/csv (the file, up to 5 MiB, with ?entity=contacts|leads) or"
          + " application/json ({entity, csv, …}); got " + request.describeMediaType() + ".");
    }
    String partial = request.queryParameter("partial");
    if (partial != null && !partial.equals("true") && !partial.equals("false")) {
      throw new InvalidInput("partial", "true (the body is the start of a larger file) or false");
    }
    if ("true".equals(partial)) {
      file = wholeLines(file);
    }
    try {
      return HttpResponse.json(200, ImportViews.preview(service().preview(parsed, file, rows)));
    } catch (ImportService.UnreadableFile e) {
      throw new Problem(422, "unreadable-file", "The file cannot be imported", e.getMessage(), List.of());
    }
  }

  /**
   * The start of a larger file up to its last line break: the line after it may be cut, in the middle of
   * a character too. UTF-16 (told by its byte order mark) breaks lines in two-byte units.
   */
  static byte[] wholeLines(byte[] start) {
    boolean littleEndian = start.length >= 2 && (start[0] & 0xFF) == 0xFF && (start[1] & 0xFF) == 0xFE;
    boolean bigEndian = start.length >= 2 && (start[0] & 0xFF) == 0xFE && (start[1] & 0xFF) == 0xFF;
    if (littleEndian || bigEndian) {
      for (int i = start.length - (start.length % 2) - 2; i >= 2; i -= 2) {
        if (start[littleEndian ? i : i + 1] == '\n' && start[littleEndian ? i + 1 : i] == 0) {
          return java.util.Arrays.copyOf(start, i + 2);
        }
      }
      return java.util.Arrays.copyOf(start, 2);
    }
    for (int i = start.length - 1; i >= 0; i--) {
      if (start[i] == '\n') {
        return java.util.Arrays.copyOf(start, i + 1);
      }
    }
    return start; // one line, the header: all there is to read
  }

  private static int rowsShown(String rows) {
    if (rows == null) {
      return ImportPreview.DEFAULT_ROWS;
    }
    try {
      int n = Integer.parseInt(rows);
      if (n >= 0 && n <= ImportPreview.MAX_ROWS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidInput("rows", "a whole number from 0 to " + ImportPreview.MAX_ROWS);
  }

  private static boolean isCsv(HttpRequest request) {
    String type = request.mediaType();
    return "text/csv".equals(type) || "application/csv".equals(type);
  }

  private static void checkCsvSize(HttpRequest request) {
    if (request.body().length > ImportService.MAX_BODY_BYTES) {
      throw Problem.tooLarge("A CSV body may be up to 5 MiB; for a larger file POST {entity, fileName} as JSON"
          + " and PUT the file to the uploadUrl of the answer.");
    }
  }

  /**
   * A CSV body's options, from the query: each member of the JSON flow is a parameter of the same name;
   * {@code mapping} and {@code context} one parameter per member as OpenAPI's {@code deepObject} style
   * writes them ({@code mapping[Work email]=email}, {@code context[id]=fair-2026}), or their whole JSON
   * object ({@code mapping={"Work email":"email"}}, URL-encoded). Any other parameter is refused, as an
   * unknown member is.
   */
  static Map<String, Object> optionsOf(HttpRequest request, List<String> alsoAllowed) {
    Map<String, Object> body = new LinkedHashMap<>();
    List<FieldError> errors = new java.util.ArrayList<>();
    Map<String, Object> mapping = new LinkedHashMap<>();
    Map<String, Object> context = new LinkedHashMap<>();
    request.query().forEach((name, value) -> {
      String object = name.endsWith("]") && name.indexOf('[') > 0 ? name.substring(0, name.indexOf('[')) : null;
      String member = object == null ? null : name.substring(name.indexOf('[') + 1, name.length() - 1);
      if ("mapping".equals(object) && !member.isBlank()) {
        mapping.put(member, value);
      } else if ("context".equals(object) && !member.isBlank()) {
        context.put(member, value);
      } else if (name.equals("mapping") || name.equals("context")) {
        try {
          (name.equals("mapping") ? mapping : context).putAll(new JsonObject(value).getMap());
        } catch (RuntimeException e) {
          errors.add(new FieldError(name, "must be a JSON object (URL-encoded), or one " + name + "[<member>]="
              + " parameter per member"));
        }
      } else if (ImportRequest.FIELDS.contains(name)) {
        body.put(name, value);
      } else if (!alsoAllowed.contains(name)) {
        errors.add(new FieldError(name, "not an import option; the options are " + String.join(", ", ImportRequest.FIELDS)
            + " (mapping[<column header>]=<target>, context[id], context[name] one by one)"));
      }
    });
    if (!errors.isEmpty()) {
      throw new InvalidInput(errors);
    }
    if (!mapping.isEmpty()) {
      body.put("mapping", mapping);
    }
    if (!context.isEmpty()) {
      body.put("context", context);
    }
    body.putIfAbsent("fileName", "upload.csv");
    return body;
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
      // Arrays.asList, not List.of: an error about the whole row has no column and no value (empty cells).
      if (!table.recordWithin(Arrays.asList(Csv.value(e.row()), Csv.text(e.column()), Csv.text(e.value()),
          Csv.text(e.reason())), CSV_MAX_BYTES)) {
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
