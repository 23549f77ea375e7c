package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.examples.BrokenFunction;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A failure of the local server itself is a logged 500 problem whose log line carries the request id. */
class LocalServerFailuresTest {

  private static LocalServer server;

  @BeforeAll
  static void start() {
    var settings = TestDatabase.settings(2);
    server = LocalServer.start(Map.of(
        "DATABASE_URL", TestDatabase.url()), 0, "failures-token",
        List.of(new LocalServer.HostedFunction("broken", BrokenFunction.class.getName())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anAnswerTheLocalServerCannotWriteIsALogged500WithTheRequestId() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    RawHttp.Response response;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      response = RawHttp.send(server.port(), RawHttp.request("GET", "/examples/broken", List.of(), null), false);
    } finally {
      System.setOut(original);
    }

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.header("content-type")).isEqualTo("application/problem+json");
    assertThat(new JsonObject(response.text()).getInteger("status")).isEqualTo(500);
    String requestId = response.header("x-request-id");
    assertThat(requestId).isNotBlank();
    List<JsonObject> errors = Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(line -> line.startsWith("{"))
        .map(JsonObject::new)
        .filter(line -> "ERROR".equals(line.getString("level")))
        .toList();
    assertThat(errors).singleElement().satisfies(line -> {
      assertThat(line.getString("requestId")).isEqualTo(requestId);
      assertThat(line.getString("message")).isEqualTo("local server: GET /examples/broken failed");
      assertThat(line.getString("stackTrace")).isNotBlank();
    });
  }
}
