package io.shopmesh.devstack;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Prepares a PostgreSQL data directory: checks the server can use it and writes its pg_hba.conf. */
final class PostgresDataDir {

  /**
   * The superuser is trusted on loopback only (the launcher and tests provision with it); every
   * service role must prove its password, so "database per service" holds for real.
   */
  private static final String PG_HBA = """
      # Written by Shopmesh devstack at every start; edits are overwritten.
      # TYPE  DATABASE  USER      ADDRESS        METHOD
      host    all       postgres  127.0.0.1/32   trust
      host    all       postgres  ::1/128        trust
      host    all       all       127.0.0.1/32   scram-sha-256
      host    all       all       ::1/128        scram-sha-256
      """;

  private PostgresDataDir() {
  }

  /**
   * Creates {@code dataDir} and fails with one clear line if PostgreSQL could not use it.
   *
   * <p>PostgreSQL refuses to run as root. As root, zonky starts it inside a user namespace
   * ({@code unshare -U}) where it runs as {@code nobody}: files owned by root stay usable there, but
   * a directory that only another user may enter is not. The check asks that same namespace.
   */
  static void requireUsable(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new DevStackException("cannot create the PostgreSQL data directory " + dataDir
          + " (" + e.getMessage() + "); choose another with --data");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return;
    }
    if (!LinuxUtils.isUnshareAvailable()) {
      throw new DevStackException("PostgreSQL cannot run as root and user namespaces (unshare -U)"
          + " are not available here; run the stack as a regular user");
    }
    if (!reachableByNobody(dataDir)) {
      throw new DevStackException("the PostgreSQL data directory " + dataDir + " is not reachable by"
          + " the unprivileged user PostgreSQL runs as (nobody); choose a directory such as"
          + " /tmp/shopmesh with --data");
    }
  }

  /** Writes pg_hba.conf; called after initdb and before every postmaster start. */
  static void writeHba(File dataDir) {
    try {
      Files.writeString(dataDir.toPath().resolve("pg_hba.conf"), PG_HBA);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pg_hba.conf in " + dataDir, e);
    }
  }

  private static boolean reachableByNobody(Path dir) {
    String path = dir.toAbsolutePath().toString();
    List<String> probe = List.of("unshare", "-U", "test", "-d", path, "-a", "-w", path, "-a", "-x", path);
    try {
      Process process = new ProcessBuilder(probe).redirectErrorStream(true).start();
      process.getInputStream().transferTo(OutputStream.nullOutputStream());
      return process.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
