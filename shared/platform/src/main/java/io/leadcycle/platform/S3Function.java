package io.leadcycle.platform;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import io.leadcycle.domain.Unavailable;
import io.vertx.core.json.JsonObject;

/**
 * The object-created trigger kind: an S3 event in (on the local server, a file appearing in a directory
 * under the data directory sends the same shape). S3 invokes asynchronously, so a failure that a later
 * try can fix (unavailable, a bug) is thrown, and Lambda retries the event (twice, then its on-failure
 * destination); a client error (a file that can never be read) is logged and not retried.
 */
public abstract class S3Function extends LeadcycleFunction<S3Event, Void> {

  /** The object an event announces; {@code key} already URL-decoded. */
  public record CreatedObject(String bucket, String key, long size, String eTag, String eventName) {
  }

  protected S3Function() {
  }

  /** Handles one new object. Must be safe to run twice for the same object (S3 may deliver twice). */
  protected abstract void objectCreated(CreatedObject object, Invocation invocation);

  @Override
  public final Class<S3Event> eventType() {
    return S3Event.class;
  }

  @Override
  protected final S3Event readEvent(JsonObject json) {
    return LambdaEventJson.s3Event(json);
  }

  /** S3 invokes asynchronously: nobody reads the answer, which is JSON null. */
  @Override
  protected final String writeAnswer(Void answer) {
    return "null";
  }

  @Override
  protected final Void handle(S3Event event, Invocation invocation) {
    int objects = 0;
    if (event != null && event.getRecords() != null) {
      for (S3EventNotificationRecord record : event.getRecords()) {
        if (record.getEventName() == null || !record.getEventName().startsWith("ObjectCreated:")) {
          continue;
        }
        var s3 = record.getS3();
        CreatedObject object = new CreatedObject(s3.getBucket().getName(), s3.getObject().getUrlDecodedKey(),
            s3.getObject().getSizeAsLong() == null ? 0 : s3.getObject().getSizeAsLong(), s3.getObject().geteTag(),
            record.getEventName());
        invocation.put("bucket", object.bucket()).put("key", object.key());
        try {
          objectCreated(object, invocation);
        } catch (Exception | Error e) {
          Failure failure = Failure.of(e);
          if (!failure.kind().isClientError()) {
            throw e; // Lambda retries the whole event; the objects before this one must be safe to see twice
          }
          // A file that can never be read: logged, and the event's other objects still handled.
          invocation.failed("object refused; not retried", failure, new JsonObject().put("key", object.key()));
        }
        objects++;
      }
    }
    invocation.put("objects", objects);
    return null;
  }

  /** Only a failure that a later try may fix gets here: thrown, so that Lambda retries the event. */
  @Override
  protected final Void onFailure(S3Event event, Failure failure, Invocation invocation) {
    invocation.failed("object failed; Lambda retries the event", failure, null);
    throw new Unavailable("processing the object failed: " + failure.message(), failure.cause());
  }
}
