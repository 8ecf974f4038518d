package io.shopmesh.devstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Helpers for the child processes devstack runs (Redis, the Kafka JVM, the services). */
final class Processes {

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private Processes() {
  }

  /** The java launcher of the running JVM, so children run on the same Java. */
  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * This JVM's class path with absolute entries, so a child started elsewhere finds the same classes.
   * Under surefire it is the booter jar, which names the real class path in its manifest (followed by
   * {@code java -cp}); from {@code ./shopmesh} it is {@code devstack.jar} plus the expanded {@code lib/*}.
   */
  static String classPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * Runs {@code command} in a session of its own where {@code setsid} exists: Ctrl-C in the terminal
   * then reaches only the launcher, which stops services before the infrastructure they need, instead
   * of every process getting SIGINT at once. setsid execs in place, so the pid stays the child's.
   */
  static List<String> detached(List<String> command) {
    if (!Files.isExecutable(SETSID)) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(command.size() + 1);
    wrapped.add(SETSID.toString());
    wrapped.addAll(command);
    return wrapped;
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code grace}; returns once it is gone. */
  static void terminate(ProcessHandle process, Duration grace) {
    if (!isRunning(process)) {
      return;
    }
    process.destroy();
    if (!awaitExit(process, grace)) {
      kill(process);
    }
  }

  /** SIGKILL and wait until it is gone. */
  static void kill(ProcessHandle process) {
    killAll(List.of(process));
  }

  /** SIGKILL to all, then one wait for all. */
  static void killAll(List<ProcessHandle> processes) {
    processes.forEach(ProcessHandle::destroyForcibly);
    Poll.until("killed processes to exit", Duration.ofSeconds(10),
        () -> processes.stream().noneMatch(Processes::isRunning) ? Boolean.TRUE : null);
  }

  /** True if the process exited within {@code timeout}. */
  static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      Poll.until("pid " + process.pid() + " to exit", timeout, () -> isRunning(process) ? null : Boolean.TRUE);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /**
   * Alive and not a zombie. A zombie holds no port, file or shared memory any more; it only waits
   * for its parent to collect it, and for daemons (PostgreSQL) that parent is init, which on some
   * machines reaps only every second or two. {@link ProcessHandle#isAlive()} counts zombies as alive.
   */
  static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      return process.isAlive();
    }
  }
}
