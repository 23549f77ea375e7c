package io.leadcycle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local server's heap, from its GC log ({@code -Xlog:gc:file=...}: one line per collection,
 * {@code GC(7) Pause Young (Normal) (G1 Evacuation Pause) 151M->23M(256M) 3.2ms}) and from
 * {@code jcmd <pid> GC.heap_info} for the heap in use now. The heap is fullest just before a collection,
 * so the largest "before" figure is the peak of the heap used; the largest "after" figure is the most
 * that stayed reachable (live data plus what the collector left for later).
 */
final class HeapUse {

  private static final Pattern COLLECTION =
      Pattern.compile("GC\\((\\d+)\\) (Pause [^()]*?)\\s*(?:\\(.*\\))?\\s+(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)\\s+([0-9.]+)ms");
  private static final Pattern USING = Pattern.compile("Using (\\S+)");
  private static final Pattern HEAP_INFO_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  /** What a GC log says from {@code since} (a collection number) on. */
  record Summary(String collector, int collections, int fullCollections, double pauseMillis, double peakBeforeMb,
      double peakAfterMb, double lastAfterMb, double maxCommittedMb) {

    Summary plusCurrent(double usedMb) {
      return new Summary(collector, collections, fullCollections, pauseMillis, Math.max(peakBeforeMb, usedMb),
          peakAfterMb, lastAfterMb, maxCommittedMb);
    }
  }

  private HeapUse() {
  }

  /** The collections numbered {@code since} or later (-1: all). */
  static Summary read(Path gcLog, int since) {
    List<String> lines;
    try {
      lines = Files.readAllLines(gcLog);
    } catch (IOException e) {
      return new Summary("unknown", 0, 0, 0, 0, 0, 0, 0);
    }
    String collector = "unknown";
    int collections = 0;
    int full = 0;
    double pause = 0;
    double peakBefore = 0;
    double peakAfter = 0;
    double lastAfter = 0;
    double committed = 0;
    for (String line : lines) {
      Matcher using = USING.matcher(line);
      if (using.find() && line.contains("[gc")) {
        collector = using.group(1);
      }
      Matcher m = COLLECTION.matcher(line);
      if (!m.find() || Integer.parseInt(m.group(1)) < since) {
        continue;
      }
      collections++;
      if (m.group(2).startsWith("Pause Full")) {
        full++;
      }
      double before = mb(m.group(3), m.group(4));
      double after = mb(m.group(5), m.group(6));
      peakBefore = Math.max(peakBefore, before);
      peakAfter = Math.max(peakAfter, after);
      lastAfter = after;
      committed = Math.max(committed, mb(m.group(7), m.group(8)));
      pause += Double.parseDouble(m.group(9));
    }
    return new Summary(collector, collections, full, pause, peakBefore, peakAfter, lastAfter, committed);
  }

  /** The number the next collection will have. */
  static int nextCollection(Path gcLog) {
    int next = 0;
    try {
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = COLLECTION.matcher(line);
        if (m.find()) {
          next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
        }
      }
    } catch (IOException e) {
      // no log yet
    }
    return next;
  }

  /** The heap used now, in MB, from {@code jcmd <pid> GC.heap_info}; negative when jcmd cannot tell. */
  static double usedNowMb(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid),
          "GC.heap_info").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      Matcher m = HEAP_INFO_USED.matcher(out);
      return m.find() ? Long.parseLong(m.group(2)) / 1024.0 : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static double mb(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }
}
