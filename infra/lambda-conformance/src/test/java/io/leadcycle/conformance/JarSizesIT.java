package io.leadcycle.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The size of what is deployed: each jar template.yaml names, against the targets of docs/architecture.md
 * (the workbench at most 3 MB; a function without the AWS SDK at most 12 MB; any other at most 16 MB).
 * Prints the table (also written to {@code target/conformance/jar-sizes.md}) and fails on a jar over its
 * target: a dependency that creeps into a module shows here, in the build that adds it.
 */
class JarSizesIT {

  static final long MB = 1024 * 1024;

  private final Path repository = Path.of(System.getProperty("conformance.repository", "../..")).toAbsolutePath().normalize();

  @Test
  void everyDeployedJarIsWithinItsTarget() throws IOException {
    Map<Path, List<String>> jars = new TreeMap<>();
    for (DeployedFunction function : DeployedFunction.readAll(repository)) {
      jars.computeIfAbsent(function.jar(), jar -> new ArrayList<>()).add(function.logicalId());
    }
    assertThat(jars).as("jars named by template.yaml").isNotEmpty();

    StringBuilder table = new StringBuilder("| jar | functions | size | entries | AWS SDK | target |\n|---|---|---:|---:|---|---:|\n");
    List<String> over = new ArrayList<>();
    for (var entry : jars.entrySet()) {
      Path jar = entry.getKey();
      assertThat(jar).as("built jar").exists();
      long size = Files.size(jar);
      int entries;
      boolean sdk;
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        entries = zip.size();
        sdk = zip.stream().anyMatch(e -> e.getName().startsWith("software/amazon/awssdk/"));
      }
      String name = jar.getFileName().toString();
      long target = name.equals("workbench.jar") ? 3 * MB : sdk ? 16 * MB : 12 * MB;
      table.append("| ").append(name).append(" | ").append(String.join(", ", entry.getValue())).append(" | ")
          .append(String.format("%.1f MB", size / (double) MB)).append(" | ").append(entries).append(" | ")
          .append(sdk ? "yes" : "no").append(" | ").append(target / MB).append(" MB |\n");
      if (size > target) {
        over.add(name + " is " + size + " bytes, over its target of " + target);
      }
    }
    System.out.println(table);
    Path report = Path.of("target/conformance/jar-sizes.md");
    Files.createDirectories(report.getParent());
    Files.writeString(report, table);
    assertThat(over).as("jars over their size target (docs/architecture.md#jar-sizes)").isEmpty();
  }
}
