package io.leadcycle.local.examples;

import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.S3Function;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An object-created function: keeps every object it is told of. */
public final class RecordingBucketFunction extends S3Function {

  public static final List<CreatedObject> OBJECTS = new CopyOnWriteArrayList<>();

  @Override
  protected void objectCreated(CreatedObject object, Invocation invocation) {
    OBJECTS.add(object);
  }
}
