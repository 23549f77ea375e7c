package io.leadcycle.functions.notificationnudge;

import io.leadcycle.runtime.Lazy;
import io.leadcycle.aws.AwsResources;
import io.leadcycle.postgres.SharedDatabase;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.notifications.Dispatcher;
import io.leadcycle.notifications.TargetPolicy;
import io.leadcycle.platform.BudgetedRun;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.NudgedRuns;
import io.leadcycle.platform.SqsFunction;
import io.leadcycle.postgres.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Threshold notification on demand: the writers of outbox events (lead management's process actions,
 * score recalculation) send a message to the FIFO queue {@code NotificationNudgeQueue} after their
 * transaction commits, and this function runs the {@link Dispatcher} at once, for at most
 * {@code NUDGE_RUN_SECONDS} (20), so a sales-ready lead reaches its subscribers within seconds instead
 * of at the next minute's scheduled run. What the message says does not matter: it only means "there
 * is something to send".
 *
 * <p>One run per batch, not per message ({@link NudgedRuns}): {@link SqsFunction} hands the messages over
 * one by one with the same {@link Invocation}, so the first message of a batch runs the dispatcher, and
 * a message whose slot had not ended when that run started gets one more run after its end (a writer
 * folded into it late in its slot is delivered too). When a run fails, every message of the batch fails
 * with it (reported, never parked: the body is not at fault), SQS delivers them again, and after three
 * receives the redrive policy moves them to the dead-letter queue. The schedule keeps delivering meanwhile.
 *
 * <p>Where webhooks may go: as for threshold notification, https to public addresses only, unless
 * {@code NOTIFICATION_LOCAL_TARGETS=true} or on a development host, and never in Lambda.
 */
public final class NotificationNudgeHandler extends SqsFunction {

  private final Supplier<Database> database;

  static final int DEFAULT_RUN_SECONDS = 20;

  private final Clock clock;
  private final Duration budget;
  private final TargetPolicy policy;
  private final Dispatcher.Settings settings;
  private final Lazy<Dispatcher> dispatcher = Lazy.of(this::newDispatcher);
  private final NudgedRuns runs;

  /** The constructor Lambda calls: the database, the budget and the policy come from the environment. */
  public NotificationNudgeHandler() {
    super(AwsResources.DEAD_LETTERS);
    this.database = SharedDatabase.warmingUp();
    Map<String, String> env = System.getenv();
    this.clock = Clock.systemUTC();
    this.budget = budget(env);
    this.policy = policy(env);
    this.settings = Dispatcher.Settings.fromEnvironment(env);
    this.runs = new NudgedRuns(clock, budget, "dispatcher run");
  }

  NotificationNudgeHandler(Supplier<Database> database, DeadLetters deadLetters, Clock clock, Map<String, String> env) {
    super(() -> deadLetters);
    this.database = database;
    this.clock = clock;
    this.budget = budget(env);
    this.policy = policy(env);
    this.settings = Dispatcher.Settings.fromEnvironment(env);
    this.runs = new NudgedRuns(clock, budget, "dispatcher run");
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
  protected void process(SQSMessage message, Invocation invocation) {
    runs.process(message, invocation, left -> {
      Dispatcher.RunSummary run = dispatcher().run(left);
      run.countIn(invocation.metrics());
      return run.toJson();
    });
  }

  static TargetPolicy policy(Map<String, String> env) {
    return TargetPolicy.fromEnvironment(env);
  }

  /** {@code NUDGE_RUN_SECONDS}: a whole number of seconds from 1 to 840 (20 when unset). */
  static Duration budget(Map<String, String> env) {
    return BudgetedRun.budget(env, "NUDGE_RUN_SECONDS", DEFAULT_RUN_SECONDS);
  }

  /** The database: in Lambda the environment's ({@link SharedDatabase}), else the host's or the test's. */
  private Database database() {
    return database.get();
  }
}
