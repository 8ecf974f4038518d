package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication and provisioning, on one server shared by the class. */
class PostgresServerTest {

  @TempDir
  static Path dir;
  private static PostgresServer postgres;

  @BeforeAll
  static void start() {
    postgres = PostgresServer.start(dir.resolve("postgres"), Ports.freePort());
  }

  @AfterAll
  static void stop() {
    postgres.stop();
  }

  @Test
  @DisplayName("a service role reaches its own database and is refused on another service's")
  void databasePerService() throws Exception {
    ServiceDatabase users = postgres.createServiceDatabase("users", "users-secret");
    ServiceDatabase orders = postgres.createServiceDatabase("orders", "orders-secret");

    try (Connection c = DriverManager.getConnection(users.jdbcUrl(), "users", "users-secret")) {
      assertThat(scalar(c, "SELECT current_user || '@' || current_database()")).isEqualTo("users@users");
    }
    String usersOnOrders = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + orders.database();
    assertThatThrownBy(() -> DriverManager.getConnection(usersOnOrders, "users", "users-secret"))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
        .hasMessageContaining("permission denied for database \"orders\"");
    assertThat(users.url()).isEqualTo("postgresql://users@127.0.0.1:" + postgres.port() + "/users");
  }

  @Test
  @DisplayName("a wrong password is refused: only the superuser is trusted")
  void wrongPassword() {
    ServiceDatabase inventory = postgres.createServiceDatabase("inventory", "right");

    assertThatThrownBy(() -> DriverManager.getConnection(inventory.jdbcUrl(), "inventory", "wrong"))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"))
        .hasMessageContaining("password authentication failed for user \"inventory\"");
  }

  @Test
  @DisplayName("provisioning again is harmless and sets the new password")
  void idempotent() throws Exception {
    postgres.createServiceDatabase("payments", "first");
    ServiceDatabase again = postgres.createServiceDatabase("payments", "second");

    try (Connection c = DriverManager.getConnection(again.jdbcUrl(), "payments", "second")) {
      assertThat(scalar(c, "SELECT current_database()")).isEqualTo("payments");
    }
  }

  @Test
  @DisplayName("a per-test database belongs to the service role and can be dropped while in use")
  void perTestDatabase() throws Exception {
    ServiceDatabase db = postgres.createDatabase("orders", "orders_t3f9a", "orders-secret");
    try (Connection open = DriverManager.getConnection(db.jdbcUrl(), "orders", "orders-secret");
        Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"))) {
      assertThat(scalar(open, "SELECT current_user || '@' || current_database()")).isEqualTo("orders@orders_t3f9a");
      assertThat(scalar(admin, "SHOW fsync") + "/" + scalar(admin, "SHOW synchronous_commit")).isEqualTo("on/on");

      postgres.dropDatabase("orders_t3f9a");

      assertThat(scalar(admin, "SELECT count(*) FROM pg_database WHERE datname = 'orders_t3f9a'")).isEqualTo("0");
    }
  }

  static String scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
