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
      MeshService.INVENTORY, new ServiceDatabase("127.0.0.1", 54320, "inventory", "inventory", "inventory-pw")),
      Map.of(MeshService.ORDERS, Map.of("SHOPMESH_ORDERS_PENDING_DEADLINE", "5s")));

  @Test
  @DisplayName("the gateway learns its port, the infrastructure and its three upstreams, and no database")
  void gateway() {
    assertThat(environment.of(MeshService.GATEWAY)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("SHOPMESH_HTTP_HOST", "127.0.0.1"),
        Map.entry("SHOPMESH_HTTP_PORT", "8080"),
        Map.entry("SHOPMESH_REDIS_URL", "redis://127.0.0.1:63790"),
        Map.entry("SHOPMESH_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
        Map.entry("SHOPMESH_DISCOVERY_BACKEND", "redis"),
        Map.entry("SHOPMESH_DISCOVERY_REDIS_URL", "redis://127.0.0.1:63790"),
        Map.entry("SHOPMESH_DISCOVERY_ADVERTISED_HOST", "127.0.0.1"),
        Map.entry("SHOPMESH_DISCOVERY_DRAIN_DELAY", "1s"),
        Map.entry("SHOPMESH_UPSTREAMS_USERS", "http://127.0.0.1:8081"),
        Map.entry("SHOPMESH_UPSTREAMS_ORDERS", "http://127.0.0.1:8082"),
        Map.entry("SHOPMESH_UPSTREAMS_INVENTORY", "http://127.0.0.1:8083")));
  }

  @Test
  @DisplayName("users gets its own database, its signing key directory and the admin account; orders gets only its own database")
  void databaseServices() {
    assertThat(environment.of(MeshService.USERS))
        .containsEntry("SHOPMESH_HTTP_PORT", "8081")
        .containsEntry("SHOPMESH_DB_URL", "postgresql://users@127.0.0.1:54320/users")
        .containsEntry("SHOPMESH_DB_PASSWORD", "users-pw")
        .containsEntry("SHOPMESH_JWT_KEYS_DIR", "/repo/.shopmesh/keys")
        .containsEntry("SHOPMESH_ADMIN_EMAIL", "admin@shopmesh.local")
        .containsEntry("SHOPMESH_ADMIN_PASSWORD", "admin-pw")
        .containsEntry("SHOPMESH_LOGIN_TRUSTED_PROXIES", "127.0.0.1");
    assertThat(environment.of(MeshService.ORDERS))
        .containsEntry("SHOPMESH_DB_URL", "postgresql://orders@127.0.0.1:54320/orders")
        .containsEntry("SHOPMESH_DB_PASSWORD", "orders-pw")
        .containsEntry("SHOPMESH_AUTH_JWKS_URL", "http://127.0.0.1:8081/.well-known/jwks.json")
        .containsEntry("SHOPMESH_ORDERS_PENDING_DEADLINE", "5s")
        // announced in the devstack's Redis, whatever discovery.redisUrl conf/orders.yaml names
        .containsEntry("SHOPMESH_DISCOVERY_REDIS_URL", "redis://127.0.0.1:63790")
        .doesNotContainKeys("SHOPMESH_ADMIN_PASSWORD", "SHOPMESH_JWT_KEYS_DIR", "SHOPMESH_UPSTREAMS_USERS");
  }
}
