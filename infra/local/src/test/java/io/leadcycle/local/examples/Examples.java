package io.leadcycle.local.examples;

import io.leadcycle.local.LocalServer;

import io.leadcycle.local.LocalServer.HostedFunction;
import java.util.List;

/** Small functions of every trigger kind, for the local server's tests (declared in template-every-trigger.yaml). */
public final class Examples {

  public static final List<HostedFunction> HOSTED = List.of(
      new HostedFunction("db-migrate", "io.leadcycle.functions.dbmigrate.DbMigrateHandler"),
      new HostedFunction("echo", EchoFunction.class.getName()),
      new HostedFunction("tick-counter", TickCounter.class.getName()),
      new HostedFunction("recording-queue", RecordingQueueFunction.class.getName()),
      new HostedFunction("recording-bucket", RecordingBucketFunction.class.getName()));

  private Examples() {
  }

  /** Forgets what every example saw. */
  public static void reset() {
    TickCounter.EVENTS.clear();
    RecordingQueueFunction.PROCESSED.clear();
    RecordingQueueFunction.RECEIVES.clear();
    RecordingBucketFunction.OBJECTS.clear();
  }
}
