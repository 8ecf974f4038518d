package io.shopmesh.orders;

import io.shopmesh.platform.config.ConfigException;
import io.shopmesh.platform.config.Settings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrdersConfigTest {

  private static JsonObject minimal() {
    return new JsonObject()
        .put("db", new JsonObject().put("url", "postgresql://orders@127.0.0.1:5432/orders"))
        .put("kafka", new JsonObject().put("bootstrap", "127.0.0.1:9092"))
        .put("auth", new JsonObject().put("jwksUrl", "http://users:8081/.well-known/jwks.json"));
  }

  @Test
  @DisplayName("the saga's settings default to a 5 minute deadline, 5 s scans, 30 s long polls and 24 h keys")
  void defaults() {
    OrdersConfig.Saga saga = OrdersConfig.from(Settings.of(minimal())).saga();

    assertThat(saga.pendingDeadline()).isEqualTo(Duration.ofMinutes(5));
    assertThat(saga.expiryScan()).isEqualTo(Duration.ofSeconds(5));
    assertThat(saga.longPollMax()).isEqualTo(Duration.ofSeconds(30));
    assertThat(saga.idempotencyRetention()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  @DisplayName("without auth.jwksUrl the service refuses to start, naming the key and its variable")
  void jwksUrlRequired() {
    JsonObject config = minimal();
    config.remove("auth");

    assertThatThrownBy(() -> OrdersConfig.from(Settings.of(config))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.jwksUrl").hasMessageContaining("SHOPMESH_AUTH_JWKS_URL");
  }

  @Test
  @DisplayName("idempotency keys are kept at least 24 h, and durations must be positive")
  void bounds() {
    JsonObject shortRetention = minimal().put("orders", new JsonObject().put("idempotencyRetention", "1h"));
    JsonObject zeroDeadline = minimal().put("orders", new JsonObject().put("pendingDeadline", "0s"));

    assertThatThrownBy(() -> OrdersConfig.from(Settings.of(shortRetention))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("orders.idempotencyRetention");
    assertThatThrownBy(() -> OrdersConfig.from(Settings.of(zeroDeadline))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("orders.pendingDeadline");
  }
}
