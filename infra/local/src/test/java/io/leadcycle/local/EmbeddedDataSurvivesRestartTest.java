package io.leadcycle.local;

import io.leadcycle.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a configured database the server starts its own PostgreSQL, and its data outlives a restart. */
class EmbeddedDataSurvivesRestartTest {

  @TempDir
  Path dataDirectory;

  @Test
  void aFormCreatedBeforeARestartIsStillThereAfterIt() throws Exception {
    Map<String, String> env = Map.of("LEADCYCLE_DATA_DIR", dataDirectory.toString());
    HttpClient http = HttpClient.newHttpClient();

    try (LocalServer first = LocalServer.start(env, 0, "t")) {
      int status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + first.port() + "/v1/forms/kept"))
          .header("Authorization", "Bearer t").header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"name\": \"Kept\", \"kind\": \"event\"}")).build(),
          BodyHandlers.discarding()).statusCode();
      assertThat(status).isEqualTo(201);
    }
    assertThat(Files.exists(dataDirectory.resolve("postgres/PG_VERSION"))).isTrue();

    try (LocalServer second = LocalServer.start(env, 0, "t")) {
      var form = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + second.port() + "/v1/forms/kept"))
          .header("Authorization", "Bearer t").GET().build(), BodyHandlers.ofString());
      assertThat(form.statusCode()).isEqualTo(200);
      assertThat(form.body()).contains("\"name\":\"Kept\"");
    }
  }
}
