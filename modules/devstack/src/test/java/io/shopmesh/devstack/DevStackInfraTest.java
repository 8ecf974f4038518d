package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

class DevStackInfraTest {

  @TempDir
  Path dir;
  private DevStack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  @DisplayName("infra-only: endpoints.json describes working servers, each service reaches only its database,"
      + " nothing is seeded, and a restart keeps data and passwords")
  void infraOnly() throws Exception {
    DevStackOptions options = new DevStackOptions(dir, dir.resolve(".shopmesh/data"), false,
        Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(),
        Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), true);
    // `shopmesh dev --infra-only` has the demo catalog as its seed: with no gateway to seed through, it must not run
    stack = new DevStack(options, e -> {
      throw new IllegalStateException("seeded with no services running");
    });

    Endpoints endpoints = stack.start();

    Path file = dir.resolve(".shopmesh/endpoints.json");
    assertShape(file, options);
    assertThat(Endpoints.read(file)).isEqualTo(endpoints);
    assertThat(Files.getPosixFilePermissions(dir.resolve(".shopmesh/secrets.json")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertServersWork(endpoints, options);
    execute(endpoints, "orders", "CREATE TABLE kept (v int)");

    long postmaster = stack.postgres().postmasterPid().orElseThrow();
    stack.stop();

    assertThat(ProcessHandle.current().descendants().filter(Processes::isRunning)).isEmpty();
    assertThat(ProcessHandle.of(postmaster).filter(Processes::isRunning)).isEmpty();
    assertThat(file).doesNotExist();

    stack = new DevStack(options);
    assertThat(stack.start()).isEqualTo(endpoints);
    execute(endpoints, "orders", "INSERT INTO kept VALUES (1)");
  }

  private static void assertShape(Path file, DevStackOptions options) throws Exception {
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.fieldNames()).toIterable()
        .containsExactly("gateway", "services", "kafka", "databases", "redis", "admin");
    assertThat(json.get("databases").fieldNames()).toIterable().containsExactly("users", "orders", "inventory");
    assertThat(json.at("/databases/orders/url").asText())
        .isEqualTo("postgresql://orders@127.0.0.1:" + options.pgPort() + "/orders");
    assertThat(json.at("/redis/url").asText()).isEqualTo("redis://127.0.0.1:" + options.redisPort());
    assertThat(json.at("/kafka/bootstrap").asText()).isEqualTo("127.0.0.1:" + options.kafkaPort());
    assertThat(json.at("/admin/email").asText()).isEqualTo("admin@shopmesh.local");
    assertThat(json.at("/admin/password").asText()).hasSizeGreaterThanOrEqualTo(20);
  }

  private static void assertServersWork(Endpoints endpoints, DevStackOptions options) throws Exception {
    for (String service : List.of("users", "orders", "inventory")) {
      execute(endpoints, service, "SELECT 1");
    }
    String usersPassword = endpoints.databases().get("users").password();
    assertThatThrownBy(() -> DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + options.pgPort() + "/orders", "users", usersPassword))
        .hasMessageContaining("permission denied for database \"orders\"");
    try (Jedis jedis = new Jedis("127.0.0.1", options.redisPort())) {
      assertThat(jedis.ping()).isEqualTo("PONG");
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafka().bootstrap()))) {
      assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
    }
  }

  /** Connects the way a service does: its role, its password, the URL from endpoints.json. */
  private static void execute(Endpoints endpoints, String service, String sql) throws Exception {
    Endpoints.Database db = endpoints.databases().get(service);
    String jdbc = "jdbc:" + db.url().replace(service + "@", "");
    try (Connection c = DriverManager.getConnection(jdbc, service, db.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
