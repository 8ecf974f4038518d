package io.shopmesh.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of the PostgreSQL server process through zonky: start, clean stop, or SIGKILL. */
final class Postmaster {

  private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final String ZONKY_LOCK = "epg-lock";

  private final Path dataDir;
  private final EmbeddedPostgres postgres;

  private Postmaster(Path dataDir, EmbeddedPostgres postgres) {
    this.dataDir = dataDir;
    this.postgres = postgres;
  }

  /** Runs initdb if {@code dataDir} has no cluster yet, then the server; its output goes to {@code logFile}. */
  static Postmaster start(Path dataDir, int port, String host, Path logFile) {
    ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
    try {
      return new Postmaster(dataDir, EmbeddedPostgres.builder()
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false)
          .setPort(port)
          .setRegisterShutdownHook(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setOutputRedirector(log)
          .setErrorRedirector(log)
          .setDataDirectoryCustomizer(PostgresDataDir::writeHba)
          // zonky passes -F (fsync off) and synchronous_commit=off: later -c options win.
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("max_wal_size", "1GB")
          .setServerConfig("max_connections", "200")
          .setServerConfig("listen_addresses", host)
          // TCP only: everything connects to 127.0.0.1, and no socket lock file in /tmp can outlive
          // a killed server and block the next start (see kill()).
          .setServerConfig("unix_socket_directories", "")
          .setServerConfig("password_encryption", "scram-sha-256")
          .start());
    } catch (IOException | RuntimeException e) {
      releaseZonkyLock(dataDir);
      throw new IllegalStateException("PostgreSQL did not start on port " + port + " with data in " + dataDir
          + ": " + e.getMessage() + "\n" + LogTail.explain(logFile), e);
    }
  }

  /** pg_ctl stop in fast mode, then waits for the server, whose shutdown checkpoint may outlast pg_ctl's 5 s. */
  void stop() {
    Optional<ProcessHandle> server = process();
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("pg_ctl stop failed in {}: {}", dataDir, e.toString());
    }
    server.ifPresent(process -> {
      if (!Processes.awaitExit(process, STOP_TIMEOUT)) {
        Processes.kill(process);
      }
    });
  }

  /**
   * SIGKILL to the server and every backend, as a crash or the OOM killer would do.
   *
   * <p>The dead server stays a zombie until init reaps it, which on some machines takes a second
   * or two, and until then the next postmaster takes postmaster.pid for a live server's. Every
   * process is known dead here, so the file goes; crash recovery needs only pg_control and the WAL.
   */
  void kill() {
    List<ProcessHandle> processes = new ArrayList<>();
    process().ifPresent(server -> {
      processes.add(server);
      server.descendants().forEach(processes::add);
    });
    Processes.killAll(processes);
    deleteIfExists(dataDir.resolve("postmaster.pid"));
    releaseZonkyLock(dataDir);
  }

  /** The server's pid, from postmaster.pid. */
  OptionalLong pid() {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
      return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private Optional<ProcessHandle> process() {
    OptionalLong pid = pid();
    return pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.empty();
  }

  /**
   * zonky holds an in-JVM lock on a file in the data directory, released only by a clean close.
   * After a kill or a failed start, unlinking the file lets the next instance lock a fresh one
   * instead of failing with OverlappingFileLockException.
   */
  private static void releaseZonkyLock(Path dataDir) {
    deleteIfExists(dataDir.resolve(ZONKY_LOCK));
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
