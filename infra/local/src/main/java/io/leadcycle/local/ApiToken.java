package io.leadcycle.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The management API token of the local server: {@code LEADCYCLE_API_TOKEN} when it is set, otherwise
 * the one kept in {@code <data directory>/api-token}, otherwise a new random one that is written there
 * (owner-only on POSIX file systems) so that it keeps working after a restart.
 */
public final class ApiToken {

  public static final String ENVIRONMENT_VARIABLE = "LEADCYCLE_API_TOKEN";
  public static final String FILE_NAME = "api-token";

  /** Where the token came from. */
  public enum Source {
    ENVIRONMENT,
    STORED,
    GENERATED
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String value;
  private final Source source;
  private final Path file;

  private ApiToken(String value, Source source, Path file) {
    this.value = value;
    this.source = source;
    this.file = file;
  }

  /**
   * The token from the environment, else the stored one, else a new one stored in
   * {@code dataDirectory} (which is created when missing).
   */
  public static ApiToken resolve(Map<String, String> env, Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE_NAME);
    String fromEnvironment = env.get(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return new ApiToken(fromEnvironment.strip(), Source.ENVIRONMENT, file);
    }
    try {
      String stored = read(file);
      if (stored != null) {
        return new ApiToken(stored, Source.STORED, file);
      }
      String generated = generate();
      write(file, generated);
      return new ApiToken(generated, Source.GENERATED, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the management token in " + file, e);
    }
  }

  public String value() {
    return value;
  }

  public Source source() {
    return source;
  }

  /** The file the token is (or would be) kept in. */
  public Path file() {
    return file;
  }

  /** One line for start-up output. Shows the token only when it is not the one the user set. */
  public String describe() {
    return switch (source) {
      case ENVIRONMENT -> "management token: from " + ENVIRONMENT_VARIABLE;
      case STORED -> "management token: " + value + " (kept in " + file + "; set " + ENVIRONMENT_VARIABLE
          + " to choose your own)";
      case GENERATED -> "management token: " + value + " (new; kept in " + file + " for the next start; set "
          + ENVIRONMENT_VARIABLE + " to choose your own)";
    };
  }

  /**
   * One line for start-up output: the workbench's address on {@code port}. Where the token is shown anyway
   * (not the user's own), a ready-made link carries it in the fragment ({@code #token=...}), which a
   * browser never sends to a server: the page keeps it for the tab and clears it from the address bar.
   */
  public String describeWorkbench(int port) {
    String page = "http://localhost:" + port + "/workbench/";
    if (source == Source.ENVIRONMENT) {
      return "workbench: " + page + " (sign in with the token of " + ENVIRONMENT_VARIABLE + ")";
    }
    return "workbench: " + page + "#token=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Never shows the token: this object may end up in a log line or an exception message. */
  @Override
  public String toString() {
    return "ApiToken[source=" + source + ", file=" + file + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiToken that && value.equals(that.value) && source == that.source
        && file.equals(that.file);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, source, file);
  }

  private static String read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    String content = Files.readString(file, StandardCharsets.UTF_8).strip();
    return content.isEmpty() ? null : content;
  }

  private static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Writes the token so that no other user can read it at any moment: on POSIX the file is created
   * rw------- in one step (a blank file left from before is replaced by a new one), elsewhere it is
   * simply written.
   */
  private static void write(Path file, String token) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] content = (token + "\n").getBytes(StandardCharsets.UTF_8);
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.write(file, content);
      return;
    }
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another process created " + file + " at the same time; start again", e);
    }
    Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
