package io.leadcycle.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who used the CPU during a phase, from {@code /proc} (Linux only; elsewhere every figure is absent):
 * the whole machine, this JVM (the load generator or the pgbench driver), the local server process,
 * pgbench and PostgreSQL (the postmaster, its live backends and the backends it has reaped).
 */
final class CpuMeter {

  /** CPU seconds used by each party between two snapshots, and the wall time. */
  record Usage(double wallSeconds, double machineBusySeconds, double machineTotalSeconds, double benchSeconds,
      double serverSeconds, double postgresSeconds, double pgbenchSeconds) {

    /** "1.23 cores" of {@code seconds} over the wall time. */
    Usage plus(Usage o) {
      return new Usage(wallSeconds + o.wallSeconds, machineBusySeconds + o.machineBusySeconds,
          machineTotalSeconds + o.machineTotalSeconds, benchSeconds + o.benchSeconds,
          sum(serverSeconds, o.serverSeconds), sum(postgresSeconds, o.postgresSeconds),
          sum(pgbenchSeconds, o.pgbenchSeconds));
    }

    private static double sum(double a, double b) {
      return a < 0 || b < 0 ? -1 : a + b;
    }

    String cores(double seconds) {
      return seconds < 0 ? "n/a" : String.format("%.2f cores", seconds / wallSeconds);
    }

    String machineBusy() {
      return machineTotalSeconds <= 0 ? "n/a"
          : String.format("%.0f%% of %d cores", 100 * machineBusySeconds / machineTotalSeconds,
              Runtime.getRuntime().availableProcessors());
    }
  }

  record Snapshot(long wallNanos, long machineBusyTicks, long machineTotalTicks, long benchNanos, long serverTicks,
      long postgresTicks, long pgbenchTicks) {
  }

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ; `getconf CLK_TCK` is 100 on Linux.

  private final long postmasterPid;

  CpuMeter(long postmasterPid) {
    this.postmasterPid = postmasterPid;
  }

  /**
   * CPU used so far. pgbench's share is this JVM's reaped children (cutime + cstime): pgbench is the only
   * child that exits during a run, and its time is added there once the JVM has waited for it.
   */
  Snapshot snapshot(ProcessHandle server) {
    long[] machine = machineTicks();
    long self = ProcessHandle.current().pid();
    long selfWithChildren = ownTicks(self, true);
    long selfOnly = ownTicks(self, false);
    return new Snapshot(System.nanoTime(), machine[0], machine[1], benchCpuNanos(),
        ownTicks(server.pid(), false),
        postgresTicks(),
        selfWithChildren < 0 || selfOnly < 0 ? -1 : selfWithChildren - selfOnly);
  }

  static Usage between(Snapshot a, Snapshot b) {
    return new Usage((b.wallNanos() - a.wallNanos()) / 1e9,
        (b.machineBusyTicks() - a.machineBusyTicks()) / TICKS_PER_SECOND,
        (b.machineTotalTicks() - a.machineTotalTicks()) / TICKS_PER_SECOND,
        (b.benchNanos() - a.benchNanos()) / 1e9,
        ticksDelta(a.serverTicks(), b.serverTicks()),
        ticksDelta(a.postgresTicks(), b.postgresTicks()),
        ticksDelta(a.pgbenchTicks(), b.pgbenchTicks()));
  }

  private static double ticksDelta(long a, long b) {
    return a < 0 || b < 0 ? -1 : (b - a) / TICKS_PER_SECOND;
  }

  private long postgresTicks() {
    long total = ownTicks(postmasterPid, true);
    if (total < 0) {
      return -1;
    }
    Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid);
    if (postmaster.isPresent()) {
      for (ProcessHandle child : postmaster.get().children().toList()) {
        long ticks = ownTicks(child.pid(), false);
        if (ticks > 0) {
          total += ticks;
        }
      }
    }
    return total;
  }

  private static long benchCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** utime + stime (+ cutime + cstime: reaped children) of one process, in clock ticks; -1 when unknown. */
  static long ownTicks(long pid, boolean withReapedChildren) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces; fields after it are separated by single spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (withReapedChildren) {
        ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
      }
      return ticks;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The parent pid of {@code pid}, or -1. */
  static long parentPid(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {busy, total} ticks of all CPUs, from the first line of /proc/stat. */
  private static long[] machineTicks() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      String[] f = lines.get(0).trim().split("\\s+");
      long user = Long.parseLong(f[1]);
      long nice = Long.parseLong(f[2]);
      long system = Long.parseLong(f[3]);
      long idle = Long.parseLong(f[4]);
      long iowait = Long.parseLong(f[5]);
      long irq = Long.parseLong(f[6]);
      long softirq = Long.parseLong(f[7]);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      long busy = user + nice + system + irq + softirq + steal;
      return new long[] {busy, busy + idle + iowait};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }
}
