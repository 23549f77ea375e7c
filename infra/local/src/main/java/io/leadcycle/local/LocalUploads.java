package io.leadcycle.local;

import io.leadcycle.http.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code PUT /_local/uploads/{key}?expires=&signature=}, an upload URL of {@link LocalImportFiles}, the
 * local stand-in for a presigned S3 upload URL: no token, the signature is the credential. Uploads are
 * streamed to disk, whatever their size, so this comes before the raw body is read into memory.
 */
final class LocalUploads {

  private final LocalImportFiles imports;

  LocalUploads(LocalImportFiles imports) {
    this.imports = imports;
  }

  /** An upload goes to {@link #upload}; any other request on. */
  void handle(RoutingContext ctx) {
    if (ctx.request().method().name().equals("PUT") && ctx.request().path().startsWith(LocalImportFiles.UPLOAD_PATH)) {
      upload(ctx);
    } else {
      ctx.next();
    }
  }

  /**
   * The body is streamed to a file outside the bucket, then moved in whole, where the bucket announces it
   * to the import function as S3 would. Answers 200 as S3 does; 403 for a URL that is not one (or expired);
   * 409 when the job has its file already (its import runs or has finished): an upload URL takes one file.
   * S3 cannot refuse a second PUT to a presigned URL; there the import function leaves the second file
   * unread and says so on the job (docs/import.md).
   */
  private void upload(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String key = keyOf(request);
    if (key == null) {
      LocalProblems.write(ctx, Problem.notFound("No upload URL " + request.path() + "."));
      return;
    }
    if (!imports.verify(key, request.getParam("expires"), request.getParam("signature"))) {
      LocalProblems.write(ctx, Problem.forbidden("The upload URL is not one this server made, or it has expired: "
          + "POST /v1/imports again for a new one."));
      return;
    }
    if (imports.hasFile(key)) {
      LocalProblems.write(ctx, alreadyUploaded());
      return;
    }
    Path staged;
    try {
      staged = imports.newStagingFile();
    } catch (IOException e) {
      ctx.fail(e);
      return;
    }
    // The pipe takes the body's end or failure from now on: a client gone before the file is open (on a
    // busy machine) still fails the upload, and the staged file is removed, instead of waiting forever.
    Pipe<Buffer> body = request.pipe();
    if ("100-continue".equalsIgnoreCase(request.getHeader("expect")) && request.version() == HttpVersion.HTTP_1_1) {
      ctx.response().writeContinue();
    }
    streamIn(ctx, body, staged, key);
  }

  private static Problem alreadyUploaded() {
    return Problem.conflict("This import has its file already (it is running or has finished); a file uploaded"
        + " again would not be read: POST /v1/imports again for a new import.");
  }

  /** The import file's key of the upload path, else null. */
  private String keyOf(HttpServerRequest request) {
    try {
      String key = URLDecoder.decode(request.path().substring(LocalImportFiles.UPLOAD_PATH.length()), StandardCharsets.UTF_8);
      imports.pathOf(key);
      return key;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void streamIn(RoutingContext ctx, Pipe<Buffer> body, Path staged, String key) {
    ctx.vertx().fileSystem().open(staged.toString(), new OpenOptions().setWrite(true))
        .compose(body::to)
        .compose(piped -> ctx.vertx().executeBlocking(() -> {
          // Checked again: another upload to the same URL may have arrived while this one streamed in.
          return imports.moveInFirst(staged, key);
        }))
        .onComplete(done -> {
          if (done.failed() || !done.result()) {
            staged.toFile().delete();
          }
          if (done.failed()) {
            ctx.fail(done.cause());
          } else if (!done.result()) {
            LocalProblems.write(ctx, alreadyUploaded());
          } else {
            ctx.response().setStatusCode(200).end();
          }
        });
  }
}
