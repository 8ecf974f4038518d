package io.shopmesh.devstack;

import static io.shopmesh.devstack.PostgresServerTest.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresDurabilityTest {

  @TempDir
  Path dir;
  private PostgresServer postgres;

  @AfterEach
  void stop() {
    if (postgres != null) {
      postgres.stop();
    }
  }

  @Test
  @DisplayName("data survives a clean stop and restart, and passwords are still checked")
  void stopAndRestart() throws Exception {
    postgres = PostgresServer.start(dir.resolve("postgres"), Ports.freePort());
    ServiceDatabase db = postgres.createServiceDatabase("users", "pw");
    execute(db, "CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')");

    postgres.stop();
    postgres.restart();

    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "users", "pw")) {
      assertThat(scalar(c, "SELECT v FROM t")).isEqualTo("kept");
    }
    assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "users", "nope"))
        .hasMessageContaining("password authentication failed");
  }

  @Test
  @DisplayName("a committed row survives SIGKILL of the server: restart runs crash recovery")
  void killAndRecover() throws Exception {
    postgres = PostgresServer.start(dir.resolve("postgres"), Ports.freePort());
    ServiceDatabase db = postgres.createServiceDatabase("orders", "pw");
    execute(db, "CREATE TABLE t (v text); INSERT INTO t VALUES ('committed')");
    long pid = postgres.postmasterPid().orElseThrow();

    postgres.kill();

    assertThat(ProcessHandle.of(pid).filter(Processes::isRunning)).isEmpty();
    postgres.restart();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "orders", "pw")) {
      assertThat(scalar(c, "SELECT v FROM t")).isEqualTo("committed");
    }
    assertThat(Files.readString(dir.resolve("postgres.log"))).contains("automatic recovery in progress");
  }

  @Test
  @DisplayName("a data directory the server's user cannot enter is one clear error suggesting --data")
  void unreachableDataDir() throws Exception {
    assumeThat(System.getProperty("user.name")).isEqualTo("root");
    Path locked = Files.createDirectory(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    Files.setOwner(locked, locked.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    Path data = Files.createDirectory(locked.resolve("data"));

    assertThatThrownBy(() -> PostgresServer.start(data, Ports.freePort()))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("not reachable by the unprivileged user PostgreSQL runs as")
        .hasMessageContaining("--data");
  }

  private static void execute(ServiceDatabase db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.role(), db.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
