package io.leadcycle.local.examples;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.postgres.SharedDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scheduled function: keeps every event it is sent, and asks the database for the time. */
public final class TickCounter extends ScheduledFunction {

  public static final List<ScheduledEvent> EVENTS = new CopyOnWriteArrayList<>();

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    EVENTS.add(event);
    Object now = SharedDatabase.get().read(conn -> conn.query("SELECT now()").execute()).await().iterator().next().getValue(0);
    return Map.of("ticks", EVENTS.size(), "databaseTime", String.valueOf(now));
  }
}
