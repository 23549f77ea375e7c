package io.leadcycle.http;

import io.leadcycle.postgres.DatabaseSettings;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.platform.Invocation;
import io.leadcycle.platform.SqsFunction;
import io.leadcycle.postgres.Database;
import io.leadcycle.postgres.DatabaseSettings.Timeouts;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.ProblemAssertions;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the trigger kinds make of a statement PostgreSQL cancelled after {@code statement_timeout}:
 * HTTP answers 503 problem details with {@code retry-after}, a queue message is reported failed (so SQS
 * delivers it again), and each is logged once, as a warning with the SQLSTATE and the timeout, never
 * with the statement's values.
 */
class TimeoutAnswersTest {

  /** A bound value of the slow statement: it must appear in no log line and no answer. */
  private static final String BOUND_VALUE = "bound-value-7f3a";

  private static Database impatient;

  @BeforeAll
  static void connect() {
    impatient = Database.connect(TestDatabase.settings(2).withTimeouts(new Timeouts(200, 5_000, true)), 1);
  }

  @AfterAll
  static void close() {
    impatient.close();
  }

  private static void slowStatement(Database database) {
    database.read(conn -> conn.preparedQuery("SELECT pg_sleep(30), $1::text").execute(Tuple.of(BOUND_VALUE)))
        .await();
  }

  @Test
  void aStatementTimeoutIsA503ProblemWithRetryAfterLoggedOnceAsAWarning() {
    HttpFunction function = new HttpFunction() {
      @Override
      protected List<Route> defineRoutes() {
        return List.of(new Route("GET", "/v1/slow", Access.PUBLIC, request -> {
          slowStatement(impatient);
          return HttpResponse.json(200, new JsonObject());
        }));
      }
    };
    APIGatewayV2HTTPEvent event = HttpEvents.request("GET /v1/slow", "/v1/slow").build();
    String requestId = event.getRequestContext().getRequestId();

    List<JsonObject> log = new ArrayList<>();
    APIGatewayV2HTTPResponse response = logged(log, () -> function.handleRequest(event, null));

    JsonObject problem = ProblemAssertions.assertProblem(response, 503);
    assertThat(problem.getString("type")).isEqualTo("urn:leadcycle:problem:unavailable");
    assertThat(response.getHeaders()).containsEntry("retry-after", Integer.toString(HttpResponse.RETRY_AFTER_SECONDS))
        .containsEntry("x-request-id", requestId);
    assertThat(response.getBody()).doesNotContain(BOUND_VALUE).doesNotContain("pg_sleep");

    List<JsonObject> warnings = log.stream().filter(line -> "WARN".equals(line.getString("level"))).toList();
    assertThat(warnings).singleElement().satisfies(line -> {
      assertThat(line.getString("requestId")).isEqualTo(requestId);
      assertThat(line.getString("failure")).isEqualTo("UNAVAILABLE");
      assertThat(line.getString("timeout")).isEqualTo("statement_timeout");
      assertThat(line.getString("sqlState")).isEqualTo("57014");
    });
    assertThat(log).noneMatch(line -> "ERROR".equals(line.getString("level")));
    assertThat(log).filteredOn(line -> "invocation".equals(line.getString("message"))).singleElement()
        .satisfies(line -> assertThat(line.getInteger("status")).isEqualTo(503));
    assertThat(log).allSatisfy(line -> assertThat(line.encode()).doesNotContain(BOUND_VALUE).doesNotContain("pg_sleep"));
  }

  @Test
  void aStatementTimeoutInAQueueMessageIsReportedFailedSoTheMessageIsDeliveredAgain() {
    List<String> parked = new ArrayList<>();
    SqsFunction function = new SqsFunction(() -> (message, reason) -> parked.add(message.getMessageId())) {
      @Override
      protected void process(SQSMessage message, Invocation invocation) {
        slowStatement(impatient);
      }
    };

    List<JsonObject> log = new ArrayList<>();
    SQSBatchResponse response = logged(log, () -> function.handleRequest(batch("m-1"), null));

    assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m-1");
    assertThat(parked).as("not a client error: never parked in the dead-letter queue").isEmpty();
    assertThat(log).filteredOn(line -> "WARN".equals(line.getString("level"))).singleElement()
        .satisfies(line -> {
          assertThat(line.getString("timeout")).isEqualTo("statement_timeout");
          assertThat(line.getString("sqlState")).isEqualTo("57014");
        });
    assertThat(log).allSatisfy(line -> assertThat(line.encode()).doesNotContain(BOUND_VALUE));
  }

  @Test
  void every503ProblemSaysWhenToRetryAndOtherProblemsDoNot() {
    assertThat(HttpResponse.problem(Problem.unavailable("The database did not answer within 5 seconds.")).headers())
        .containsEntry("retry-after", "5").containsEntry("content-type", "application/problem+json");
    assertThat(HttpFunction.problemEvent(Problem.unavailable("down"), "r-1").getHeaders())
        .containsEntry("retry-after", "5");
    assertThat(HttpResponse.problem(Problem.conflict("closed")).headers()).doesNotContainKey("retry-after");
    assertThat(HttpResponse.problem(Problem.internal()).headers()).doesNotContainKey("retry-after");
  }

  /** Runs {@code call} and collects the JSON log lines it wrote to standard output. */
  private static <T> T logged(List<JsonObject> lines, Supplier<T> call) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return call.get();
    } finally {
      System.setOut(original);
      out.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("{"))
          .map(JsonObject::new).forEach(lines::add);
      lines.forEach(line -> System.out.println(line.encode()));
    }
  }

  private static SQSEvent batch(String messageId) {
    JsonArray records = new JsonArray().add(new JsonObject().put("messageId", messageId).put("receiptHandle", "h")
        .put("body", "{}").put("attributes", new JsonObject().put("ApproximateReceiveCount", "1"))
        .put("messageAttributes", new JsonObject()).put("eventSource", "aws:sqs")
        .put("eventSourceARN", "arn:aws:sqs:eu-central-1:123456789012:queue").put("awsRegion", "eu-central-1"));
    return LambdaEvents.read(SQSEvent.class, new JsonObject().put("Records", records).encode());
  }
}
