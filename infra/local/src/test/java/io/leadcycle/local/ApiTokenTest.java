package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.leadcycle.local.ApiToken.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {

  @TempDir
  Path dataDirectory;

  @Test
  void theEnvironmentWinsAndNothingIsWritten() throws IOException {
    Files.writeString(dataDirectory.resolve("api-token"), "stored-token\n");

    ApiToken token = ApiToken.resolve(Map.of("LEADCYCLE_API_TOKEN", "chosen-token"), dataDirectory);

    assertThat(token.value()).isEqualTo("chosen-token");
    assertThat(token.source()).isEqualTo(Source.ENVIRONMENT);
    assertThat(token.describe()).doesNotContain("chosen-token").contains("LEADCYCLE_API_TOKEN");
    assertThat(token.toString()).doesNotContain("chosen-token");
    assertThat(token.describeWorkbench(8080)).isEqualTo(
        "workbench: http://localhost:8080/workbench/ (sign in with the token of LEADCYCLE_API_TOKEN)");
    assertThat(Files.readString(dataDirectory.resolve("api-token"))).isEqualTo("stored-token\n");
  }

  @Test
  void aBlankEnvironmentVariableCountsAsUnset() {
    ApiToken token = ApiToken.resolve(Map.of("LEADCYCLE_API_TOKEN", "  "), dataDirectory);

    assertThat(token.source()).isEqualTo(Source.GENERATED);
  }

  @Test
  void aGeneratedTokenIsStoredOnceAndReusedOnTheNextStart() throws IOException {
    Path nested = dataDirectory.resolve("not/yet/there");

    ApiToken first = ApiToken.resolve(Map.of(), nested);
    ApiToken second = ApiToken.resolve(Map.of(), nested);
    ApiToken third = ApiToken.resolve(Map.of(), nested);

    assertThat(first.source()).isEqualTo(Source.GENERATED);
    assertThat(Base64.getUrlDecoder().decode(first.value())).hasSize(32);
    assertThat(first.value()).doesNotContain("=", "+", "/");
    assertThat(Files.readString(nested.resolve("api-token")).strip()).isEqualTo(first.value());
    assertThat(second.source()).isEqualTo(Source.STORED);
    assertThat(second.value()).isEqualTo(first.value());
    assertThat(third.value()).isEqualTo(first.value());
    assertThat(first.describe()).contains(first.value(), nested.resolve("api-token").toString());
    assertThat(first.describeWorkbench(8081)).isEqualTo("workbench: http://localhost:8081/workbench/#token=" + first.value());
    assertThat(second.describe()).isEqualTo("management token: " + first.value() + " (kept in "
        + nested.resolve("api-token") + "; set LEADCYCLE_API_TOKEN to choose your own)");
  }

  @Test
  void theStoredTokenIsTrimmed() throws IOException {
    Files.writeString(dataDirectory.resolve("api-token"), "  my-token \r\n");

    ApiToken token = ApiToken.resolve(Map.of(), dataDirectory);

    assertThat(token.source()).isEqualTo(Source.STORED);
    assertThat(token.value()).isEqualTo("my-token");
  }

  @Test
  void theTokenFileIsReadableByItsOwnerOnly() throws IOException {
    assumeTrue(dataDirectory.getFileSystem().supportedFileAttributeViews().contains("posix"));

    ApiToken.resolve(Map.of(), dataDirectory);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDirectory.resolve("api-token"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aBlankFileIsReplacedByANewOwnerOnlyToken() throws IOException {
    Path file = dataDirectory.resolve("api-token");
    Files.writeString(file, " \n");
    boolean posix = dataDirectory.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (posix) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    ApiToken token = ApiToken.resolve(Map.of(), dataDirectory);

    assertThat(token.source()).isEqualTo(Source.GENERATED);
    assertThat(token.value()).isNotBlank();
    assertThat(Files.readString(file).strip()).isEqualTo(token.value());
    assertThat(ApiToken.resolve(Map.of(), dataDirectory).value()).isEqualTo(token.value());
    if (posix) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
  }
}
