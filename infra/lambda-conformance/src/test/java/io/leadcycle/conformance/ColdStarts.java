package io.leadcycle.conformance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cold-start table: per function, its jar's size and, from the JVM's start, when the runtime was
 * ready for its first event (init; for a SnapStart function, when it asked to be restored, i.e. init and
 * the before-checkpoint hooks) and when its first answer came. Printed, and written to
 * {@code cold-starts.md} and {@code cold-starts.json} in the suite's work directory.
 */
final class ColdStarts {

  private ColdStarts() {
  }

  static void print(List<DeployedFunction> functions, Map<String, ExecutionEnvironment> environments, Path work) {
    StringBuilder table = new StringBuilder();
    table.append("| function | jar MB | SnapStart | init ms | first answer ms |\n|---|---:|---|---:|---:|\n");
    JsonArray json = new JsonArray();
    List<Double> firstAnswers = new ArrayList<>();
    for (DeployedFunction function : functions) {
      ExecutionEnvironment environment = environments.get(function.logicalId());
      if (environment == null) {
        continue;
      }
      double jarMb = size(function.jar()) / 1_048_576.0;
      RuntimeApi api = environment.api();
      Long ready = api.restoreNext().isDone() ? api.restoreNext().join()
          : api.firstNext().isDone() ? api.firstNext().join() : null;
      Double init = ready == null ? null : environment.millisSinceStart(ready);
      Double first = environment.coldStartMillis();
      if (first != null) {
        firstAnswers.add(first);
      }
      table.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s | %s |%n", function.logicalId(), jarMb,
          function.snapStart() ? "yes" : "no", init == null ? "-" : String.format(Locale.ROOT, "%.0f", init),
          first == null ? "-" : String.format(Locale.ROOT, "%.0f", first)));
      json.add(new JsonObject().put("function", function.logicalId()).put("jarBytes", size(function.jar()))
          .put("snapStart", function.snapStart()).put("initMs", init).put("firstAnswerMs", first));
    }
    firstAnswers.sort(Double::compare);
    String summary = firstAnswers.isEmpty() ? "" : String.format(Locale.ROOT,
        "JVM start to first answer over %d functions: p50 %.0f ms, max %.0f ms%n", firstAnswers.size(),
        firstAnswers.get((firstAnswers.size() - 1) / 2), firstAnswers.get(firstAnswers.size() - 1));
    System.out.println("\nLambda conformance: cold starts (JVM start to first answer, under AWS's runtime interface "
        + "client, in this run)\n" + table + summary);
    try {
      Files.writeString(work.resolve("cold-starts.md"), table + "\n" + summary);
      Files.writeString(work.resolve("cold-starts.json"), json.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One cold start: from the JVM's start, ready for the first event (init) and first answer; for SnapStart, from the restore to the first answer. */
  record Round(Double initMs, Double firstAnswerMs, Double afterRestoreMs) {
  }

  static Round round(ExecutionEnvironment environment) {
    RuntimeApi api = environment.api();
    Long restored = api.restoreNext().isDone() ? api.restoreNext().join() : null;
    Long ready = restored != null ? restored : api.firstNext().isDone() ? api.firstNext().join() : null;
    Double first = environment.coldStartMillis();
    return new Round(ready == null ? null : environment.millisSinceStart(ready), first,
        restored == null || first == null ? null : first - environment.millisSinceStart(restored));
  }

  /**
   * The benchmark's table, per function the median of its rounds: on demand, JVM start to first answer
   * (the target); with SnapStart, init and priming (paid when a version is published) and restore to first
   * answer (what a caller waits for after Lambda restored the snapshot, which this machine cannot do).
   * Over functions the p50 and max of those medians.
   */
  static void printRounds(List<DeployedFunction> functions, List<DeployedFunction> baselines,
      Map<String, List<Round>> onDemand, Map<String, List<Round>> snapStart, Path work) {
    StringBuilder table = new StringBuilder();
    table.append("| function | jar MB | on demand: init ms | on demand: first answer ms (min-max) | "
        + "SnapStart: init and priming ms | SnapStart: restore to first answer ms |\n")
        .append("|---|---:|---:|---:|---:|---:|\n");
    List<Double> firstAnswers = new ArrayList<>();
    List<Double> restored = new ArrayList<>();
    JsonArray json = new JsonArray();
    int rounds = 0;
    for (DeployedFunction function : functions) {
      List<Double> first = values(onDemand.getOrDefault(function.logicalId(), List.of()), Round::firstAnswerMs);
      if (first.isEmpty()) {
        continue;
      }
      rounds = Math.max(rounds, first.size());
      Double init = median(values(onDemand.get(function.logicalId()), Round::initMs));
      List<Round> snapshots = snapStart.getOrDefault(function.logicalId(), List.of());
      Double primed = median(values(snapshots, Round::initMs));
      Double afterRestore = median(values(snapshots, Round::afterRestoreMs));
      firstAnswers.add(median(first));
      if (afterRestore != null) {
        restored.add(afterRestore);
      }
      table.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %.0f (%.0f-%.0f) | %s | %s |%n", function.logicalId(),
          size(function.jar()) / 1_048_576.0, millis(init), median(first), first.get(0), first.get(first.size() - 1),
          millis(primed), millis(afterRestore)));
      json.add(new JsonObject().put("function", function.logicalId()).put("jarBytes", size(function.jar()))
          .put("rounds", first.size()).put("onDemandInitMs", init).put("onDemandFirstAnswerMs", median(first))
          .put("onDemandFirstAnswerMinMs", first.get(0)).put("onDemandFirstAnswerMaxMs", first.get(first.size() - 1))
          .put("snapStartInitMs", primed).put("snapStartRestoreToFirstAnswerMs", afterRestore));
    }
    StringBuilder baselineLines = new StringBuilder();
    Double floor = null;
    for (DeployedFunction baseline : baselines) {
      List<Double> first = values(onDemand.getOrDefault(baseline.logicalId(), List.of()), Round::firstAnswerMs);
      if (!first.isEmpty()) {
        floor = median(first);
        baselineLines.append(String.format(Locale.ROOT, "Baseline %s (%s), JVM start to first answer: %.0f ms "
            + "(%.0f-%.0f)%n", baseline.logicalId(), baseline.handler().substring(baseline.handler().lastIndexOf('.') + 1),
            floor, first.get(0), first.get(first.size() - 1)));
        json.add(new JsonObject().put("baseline", baseline.logicalId()).put("onDemandFirstAnswerMs", floor));
      }
    }
    firstAnswers.sort(Double::compare);
    restored.sort(Double::compare);
    String summary = firstAnswers.isEmpty() ? "" : String.format(Locale.ROOT,
        "On demand, JVM start to first answer (medians of %d functions): p50 %.0f ms, max %.0f ms%n",
        firstAnswers.size(), median(firstAnswers), firstAnswers.get(firstAnswers.size() - 1))
        + (restored.isEmpty() ? "" : String.format(Locale.ROOT,
        "SnapStart, restore to first answer (medians of %d functions): p50 %.0f ms, max %.0f ms%n",
        restored.size(), median(restored), restored.get(restored.size() - 1)))
        + baselineLines
        + (floor == null || firstAnswers.isEmpty() ? "" : String.format(Locale.ROOT,
        "Functions' p50 against the last baseline: %.2fx%n", median(firstAnswers) / floor));
    String heading = String.format(Locale.ROOT, "Cold starts: %d rounds, one function at a time, %d cores, %s %s%n",
        rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    System.out.println("\n" + heading + table + summary);
    try {
      Files.writeString(work.resolve("cold-starts-rounds.md"), heading + "\n" + table + "\n" + summary);
      Files.writeString(work.resolve("cold-starts-rounds.json"), json.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Double> values(List<Round> rounds, java.util.function.Function<Round, Double> value) {
    return rounds.stream().map(value).filter(java.util.Objects::nonNull).sorted().toList();
  }

  /** The median of sorted values (the lower one of an even count), or null. */
  private static Double median(List<Double> sorted) {
    List<Double> values = sorted.stream().sorted().toList();
    return values.isEmpty() ? null : values.get((values.size() - 1) / 2);
  }

  private static String millis(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.0f", value);
  }

  private static long size(Path jar) {
    try {
      return Files.size(jar);
    } catch (IOException e) {
      return -1;
    }
  }
}
