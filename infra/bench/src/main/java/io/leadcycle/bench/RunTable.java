package io.leadcycle.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The dated table of intake runs in docs/performance.md: {@code --record} appends a run's row to it. */
final class RunTable {

  /** The table's header line starts with this; its rows follow it up to the first line not starting with '|'. */
  static final String HEADER = "| date (UTC) | mode | ratio | p99 | server CPU / submission |";

  private RunTable() {
  }

  static void append(Path doc, String row) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(doc, StandardCharsets.UTF_8));
    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(HEADER)) {
        header = i;
        break;
      }
    }
    if (header < 0) {
      throw new BenchSupport.BenchmarkFailure(doc + " has no table starting with " + HEADER + "; row not recorded:\n" + row);
    }
    int end = header + 1;
    while (end < lines.size() && lines.get(end).startsWith("|")) {
      end++;
    }
    lines.add(end, row);
    Files.write(doc, lines, StandardCharsets.UTF_8);
  }
}
