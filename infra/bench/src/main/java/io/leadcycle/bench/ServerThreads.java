package io.leadcycle.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local server's CPU by thread group, from {@code /proc/<pid>/task} (Linux only): event loop, handler
 * threads, JIT compilers, garbage collector... JFR samples only threads running Java code, so this is where
 * native time (system calls, GC, compilation) shows.
 */
final class ServerThreads {

  private ServerThreads() {
  }

  /** Clock ticks so far per thread id, with the thread's group name. */
  record Snapshot(Map<String, Long> ticksByThread, Map<String, String> groupByThread) {
  }

  static Snapshot snapshot(long pid) {
    Map<String, Long> ticks = new HashMap<>();
    Map<String, String> groups = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          String tid = task.getFileName().toString();
          ticks.put(tid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
          groups.put(tid, name.replaceAll("(?<=[-#])[0-9]+", "#"));
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the server is gone: no figures
    }
    return new Snapshot(ticks, groups);
  }

  /** Microseconds per submission of the JIT compiler threads between two snapshots. */
  static double compilerMicros(Snapshot a, Snapshot b, long submissions) {
    Tally tally = new Tally();
    tally.add(a, b);
    return tally.compilerMicros(submissions);
  }

  /** CPU ticks by thread group, added up over the measured phases. */
  static final class Tally {
    private final Map<String, Long> byGroup = new TreeMap<>();

    void add(Snapshot a, Snapshot b) {
      b.ticksByThread().forEach((tid, ticks) -> byGroup.merge(b.groupByThread().get(tid),
          ticks - a.ticksByThread().getOrDefault(tid, 0L), Long::sum));
    }

    /** Microseconds per submission of the JIT compiler threads (C1 and C2). */
    double compilerMicros(long submissions) {
      long ticks = 0;
      for (Map.Entry<String, Long> e : byGroup.entrySet()) {
        if (e.getKey().contains("CompilerThre")) {
          ticks += e.getValue();
        }
      }
      return ticks * 10_000.0 / submissions;
    }

    /** Microseconds per submission by thread group, the largest eight first. */
    String perSubmission(long submissions) {
      StringBuilder r = new StringBuilder();
      byGroup.entrySet().stream().filter(e -> e.getValue() > 0)
          .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(8)
          .forEach(e -> r.append(r.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
              .append(String.format("%.0f", e.getValue() * 10_000.0 / submissions)));
      return r.length() == 0 ? "n/a" : r + " µs";
    }
  }
}
