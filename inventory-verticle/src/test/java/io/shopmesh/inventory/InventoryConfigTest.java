package io.shopmesh.inventory;

import io.shopmesh.platform.config.ConfigException;
import io.shopmesh.platform.config.Settings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InventoryConfigTest {

  private static JsonObject minimal() {
    return new JsonObject()
        .put("db", new JsonObject().put("url", "postgresql://inventory@127.0.0.1:5432/inventory"))
        .put("kafka", new JsonObject().put("bootstrap", "127.0.0.1:9092"))
        .put("auth", new JsonObject().put("jwksUrl", "http://users:8081/.well-known/jwks.json"));
  }

  @Test
  @DisplayName("the users service's JWKS URL is required; the import settings have safe defaults")
  void defaults() {
    InventoryConfig config = InventoryConfig.from(Settings.of(minimal()));
    assertThat(config.http().port()).isEqualTo(8083);
    assertThat(config.auth().jwksUrl()).isEqualTo("http://users:8081/.well-known/jwks.json");
    assertThat(config.imports()).isEqualTo(new InventoryConfig.Imports(50L * 1024 * 1024, 2, 500, 1.0, 1,
        Duration.ofSeconds(30), Duration.ofSeconds(10), 1000, Duration.ofMinutes(2)));
    assertThat(config.imports().workPool().maxQueued()).isEqualTo(2);

    JsonObject noJwks = minimal();
    noJwks.remove("auth");
    assertThatThrownBy(() -> InventoryConfig.from(Settings.of(noJwks)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("auth.jwksUrl");
  }

  @Test
  @DisplayName("import settings are read from config and checked")
  void imports() {
    InventoryConfig config = InventoryConfig.from(Settings.of(minimal().put("imports", new JsonObject()
        .put("maxBytes", "10mb").put("maxConcurrent", 4).put("batchSize", 200).put("restRatio", "0.5")
        .put("workers", 2))));
    assertThat(config.imports().maxBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(config.imports().workPool().workers()).isEqualTo(2);
    assertThat(config.imports().restRatio()).isEqualTo(0.5);
    assertThatThrownBy(() -> InventoryConfig.from(Settings.of(minimal().put("imports", new JsonObject()
        .put("restRatio", "-1"))))).isInstanceOf(ConfigException.class).hasMessageContaining("imports.restRatio");
    assertThatThrownBy(() -> InventoryConfig.from(Settings.of(minimal().put("imports", new JsonObject()
        .put("maxConcurrent", 0))))).isInstanceOf(ConfigException.class).hasMessageContaining("imports.maxConcurrent");
  }
}
