package io.leadcycle.functions.journeycreatelead;

import io.leadcycle.runtime.Lazy;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.postgres.SharedDatabase;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.domain.TileEvent;
import io.leadcycle.journeys.JourneyTileService;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.SqsFunction;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.Metric;
import io.leadcycle.runtime.Nudge;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The journey "create lead" tile (docs/journeys.md): each SQS message says a contact passed a tile;
 * {@link JourneyTileService} creates the tile's lead once. A message that can never succeed (not a
 * tile event, an unknown contact, a contact without an account in account mode) is a client error, so
 * {@link SqsFunction} parks it on the dead-letter queue at once with its reason instead of letting SQS
 * deliver it again; a message that failed for another reason (the database) is reported in
 * {@code batchItemFailures} and delivered again. Either way the rest of the batch goes on.
 *
 * <p>A created lead marked what it is scored from: score recalculation is nudged once its transaction has
 * committed ({@code SCORING_NUDGE_QUEUE_URL}; without it the schedule scores it).
 */
public final class JourneyCreateLeadHandler extends SqsFunction {

  private final Supplier<Database> database;

  private final Clock clock;
  private final Supplier<Nudge> scoringNudge;
  private final Lazy<JourneyTileService> service = Lazy.of(this::newService);

  /** The constructor Lambda calls: the database and the dead-letter queue come from the environment. */
  public JourneyCreateLeadHandler() {
    super(AwsResources.DEAD_LETTERS);
    this.database = SharedDatabase.warmingUp();
    this.clock = Clock.systemUTC();
    this.scoringNudge = AwsResources.SCORING_NUDGE;
  }

  JourneyCreateLeadHandler(Supplier<Database> database, DeadLetters deadLetters, Clock clock) {
    this(database, deadLetters, clock, Nudge.NONE);
  }

  JourneyCreateLeadHandler(Supplier<Database> database, DeadLetters deadLetters, Clock clock, Nudge scoringNudge) {
    super(() -> deadLetters);
    this.database = database;
    this.clock = clock;
    this.scoringNudge = () -> scoringNudge;
  }

  private JourneyTileService service() {
    return service.get();
  }

  /** Built on first use: it needs the database, which the constructor only names. */
  private JourneyTileService newService() {
    return new JourneyTileService(database());
  }

  @Override
  protected void process(SQSMessage message, Invocation invocation) {
    TileEvent event = TileEvent.parse(body(message).getMap(), clock.instant());
    JourneyTileService.Outcome outcome = service().createLead(event).await();
    if (outcome.created()) {
      scoringNudge.get().send("journey-tile"); // one per second at most, however big the batch
    }
    invocation.metrics().count(Metric.LEADS_CREATED, outcome.created() ? 1 : 0);
    invocation.info(outcome.created() ? "journey lead created" : "tile event seen before: no new lead",
        new JsonObject().put("messageId", message.getMessageId()).put("journeyId", event.journeyId())
            .put("tileId", event.tileId()).put("createFor", event.createFor().wireName())
            .put("contactId", event.contactId().toString())
            .put("leadId", outcome.leadId() == null ? null : outcome.leadId().toString()));
  }

  /** The message body as a JSON object; anything else is a malformed message. */
  private static JsonObject body(SQSMessage message) {
    String body = message.getBody();
    try {
      Object parsed = body == null ? null : io.vertx.core.json.Json.decodeValue(body);
      if (parsed instanceof JsonObject json) {
        return json;
      }
    } catch (DecodeException e) {
      // reported below
    }
    throw InvalidInput.ofBody("The message body is not a JSON object: send a tile event {journeyId, tileId, "
        + "contactId, createFor, lead: {topic, context?}, occurredAt} (docs/journeys.md).");
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
