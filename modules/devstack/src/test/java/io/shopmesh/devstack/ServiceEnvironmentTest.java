package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

  private final DevStackOptions options = new DevStackOptions(Path.of("/repo"), Path.of("/repo/.shopmesh/data"),
      false, 8080, 8081, 8082, 8083, 54320, 63790, 19092, 19093, false);
  private final Endpoints endpoints = new Endpoints("http://127.0.0.1:8080", Map.of(),
      new Endpoints.Kafka("127.0.0.1:19092"), Map.of(), new Endpoints.Redis("redis://127.0.0.1:63790"),
      new Endpoints.Admin("admin@shopmesh.local", "admin-pw"));
  private final ServiceEnvironment environment = new ServiceEnvironment(options, endpoints, Map.of(
      MeshService.USERS, new ServiceDatabase("127.0.0.1", 54320, "users", "users", "users-pw"),
      MeshService.ORDERS, new ServiceDatabase("127.0.0.1", 54320, "orders", "orders", "orders-pw"),
      MeshService.INVENTORY, new ServiceDatabase("127.0.0.1", 54320, "inventory", "inventory", "inventory-pw")));

  @Test
  @DisplayName("the gateway learns its port, the infrastructure and its three upstreams, and no database")
  void gateway() {
    assertThat(environment.of(MeshService.GATEWAY)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "SHOPMESH_HTTP_HOST", "127.0.0.1",
        "SHOPMESH_HTTP_PORT", "8080",
        "SHOPMESH_REDIS_URL", "redis://127.0.0.1:63790",
        "SHOPMESH_KAFKA_BOOTSTRAP", "127.0.0.1:19092",
        "SHOPMESH_UPSTREAMS_USERS", "http://127.0.0.1:8081",
        "SHOPMESH_UPSTREAMS_ORDERS", "http://127.0.0.1:8082",
        "SHOPMESH_UPSTREAMS_INVENTORY", "http://127.0.0.1:8083"));
  }

  @Test
  @DisplayName("users gets its own database and the admin account; orders gets only its own database")
  void databaseServices() {
    assertThat(environment.of(MeshService.USERS))
        .containsEntry("SHOPMESH_HTTP_PORT", "8081")
        .containsEntry("SHOPMESH_DB_URL", "postgresql://users@127.0.0.1:54320/users")
        .containsEntry("SHOPMESH_DB_PASSWORD", "users-pw")
        .containsEntry("SHOPMESH_ADMIN_EMAIL", "admin@shopmesh.local")
        .containsEntry("SHOPMESH_ADMIN_PASSWORD", "admin-pw");
    assertThat(environment.of(MeshService.ORDERS))
        .containsEntry("SHOPMESH_DB_URL", "postgresql://orders@127.0.0.1:54320/orders")
        .containsEntry("SHOPMESH_DB_PASSWORD", "orders-pw")
        .doesNotContainKeys("SHOPMESH_ADMIN_PASSWORD", "SHOPMESH_UPSTREAMS_USERS");
  }
}
