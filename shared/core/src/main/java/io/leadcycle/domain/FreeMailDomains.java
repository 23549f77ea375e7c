package io.leadcycle.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Email domains of free mail providers (gmail.com, web.de, …). A person's address there says nothing
 * about their employer, so account linking by domain never matches them. The list is the resource
 * {@code free-mail-domains.txt} next to this class (one domain a line, {@code #} comments); docs/intake.md
 * says how to extend it.
 */
public final class FreeMailDomains {

  private static final Set<String> DOMAINS = load();

  private FreeMailDomains() {
  }

  /** Whether {@code normalizedDomain} (see {@link Normalize#domain}) is a free mail domain. */
  public static boolean contains(String normalizedDomain) {
    return DOMAINS.contains(normalizedDomain);
  }

  private static Set<String> load() {
    try (InputStream in = FreeMailDomains.class.getResourceAsStream("free-mail-domains.txt")) {
      if (in == null) {
        throw new IllegalStateException("free-mail-domains.txt is missing from the classpath");
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .map(Normalize::domain)
          .collect(Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
