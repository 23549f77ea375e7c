package io.leadcycle.functions.thresholdnotification;

import io.leadcycle.runtime.Lazy;
import io.leadcycle.postgres.SharedDatabase;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.leadcycle.leads.FollowUps;
import io.leadcycle.notifications.Dispatcher;
import io.leadcycle.notifications.TargetPolicy;
import io.leadcycle.platform.BudgetedRun;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.ScheduledFunction;
import io.leadcycle.postgres.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Threshold notification on a schedule (every minute in AWS, every second on the local server): fans
 * the outbox out to the subscribers of each event's type and sends the due deliveries as signed
 * webhooks ({@link Dispatcher}), for at most {@code NOTIFICATION_RUN_SECONDS} (50); the next run
 * continues where it stopped.
 *
 * <p>Each run (and each poll of a polling run) first turns the follow-ups whose time has come into
 * {@code lead.follow_up_due} events ({@link FollowUps}), which the same run then delivers: a reminder
 * reaches its subscribers within a minute of its time in AWS (seconds with keep-polling), about a second locally.
 *
 * <p>With {@code NOTIFICATION_KEEP_POLLING=true} a run does not end when it runs out of work: it looks
 * for new events every second until its budget is spent, so that in AWS, where a schedule fires at
 * most once a minute, an event reaches its subscribers within a second or two (at the price of a
 * function that is always running). In AWS the writers also nudge the notification-nudge function
 * through an SQS queue, which runs the same {@link Dispatcher} within seconds; this schedule stays the
 * fallback for lost nudges and for retries.
 *
 * <p>Where webhooks may go: https to public addresses only; {@code http} and loopback as well when
 * {@code NOTIFICATION_LOCAL_TARGETS=true} or on a development host (the local server sets
 * {@link WebhookUrlPolicy#DEVELOPMENT_HOST_PROPERTY}), never in Lambda (both are then ignored, with a warning).
 */
public final class ThresholdNotificationHandler extends ScheduledFunction {

  private final Supplier<Database> database;

  static final int DEFAULT_RUN_SECONDS = 50;

  private final Clock clock;
  private final Duration budget;
  private final boolean keepPolling;
  private final TargetPolicy policy;
  private final Dispatcher.Settings settings;
  private final Lazy<Dispatcher> dispatcher = Lazy.of(this::newDispatcher);

  /** The constructor Lambda calls: the database, the budget and the policy come from the environment. */
  public ThresholdNotificationHandler() {
    this.database = SharedDatabase.warmingUp();
    this.clock = Clock.systemUTC();
    Map<String, String> env = System.getenv();
    this.budget = budget(env);
    this.keepPolling = flag(env, "NOTIFICATION_KEEP_POLLING");
    this.policy = policy(env);
    this.settings = Dispatcher.Settings.fromEnvironment(env);
  }

  ThresholdNotificationHandler(Supplier<Database> database, Clock clock, Map<String, String> env) {
    this.database = database;
    this.clock = clock;
    this.budget = budget(env);
    this.keepPolling = flag(env, "NOTIFICATION_KEEP_POLLING");
    this.policy = policy(env);
    this.settings = Dispatcher.Settings.fromEnvironment(env);
  }

  /** One dispatcher (its HTTP client and sending threads) per execution environment. */
  private Dispatcher dispatcher() {
    return dispatcher.get();
  }

  /** Built on first use: it needs the database, which the constructor only names. */
  private Dispatcher newDispatcher() {
    return new Dispatcher(database(), clock, settings, policy);
  }

  @Override
  protected Map<String, Object> run(ScheduledEvent event, Invocation invocation) {
    Dispatcher service = dispatcher();
    FollowUps followUps = new FollowUps(database());
    return BudgetedRun.run(clock, budget, keepPolling, left -> {
      // Follow-ups whose time came become events first, so that this same run delivers them.
      int announced = followUps.announceDue().await();
      Dispatcher.RunSummary run = service.run(left);
      run.countIn(invocation.metrics());
      return run.toJson().put("followUpsDue", announced);
    });
  }

  static TargetPolicy policy(Map<String, String> env) {
    return TargetPolicy.fromEnvironment(env);
  }

  /** A true/false variable, false by default; anything else fails at once, naming it. */
  static boolean flag(Map<String, String> env, String name) {
    return BudgetedRun.flag(env, name);
  }

  /** {@code NOTIFICATION_RUN_SECONDS}: a whole number of seconds from 1 to 840 (50 when unset). */
  static Duration budget(Map<String, String> env) {
    return BudgetedRun.budget(env, "NOTIFICATION_RUN_SECONDS", DEFAULT_RUN_SECONDS);
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
