package io.shopmesh.platform.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

  private static final JsonObject FILE = new JsonObject()
      .put("db", new JsonObject().put("poolSize", 4).put("url", "postgresql://orders@db:5432/orders"))
      .put("http", new JsonObject().put("idleTimeout", "90s").put("bodyLimit", "2mb"))
      .put("cors", new JsonObject().put("origins", new JsonArray().add("https://a.example").add("https://b.example")));

  @Test
  @DisplayName("environment names are the key in upper snake case behind SHOPMESH_")
  void envNames() {
    assertThat(Settings.envName("db.poolSize")).isEqualTo("SHOPMESH_DB_POOL_SIZE");
    assertThat(Settings.envName("upstreams.users")).isEqualTo("SHOPMESH_UPSTREAMS_USERS");
    assertThat(Settings.envName("kafka.bootstrap")).isEqualTo("SHOPMESH_KAFKA_BOOTSTRAP");
    assertThat(Settings.sysName("db.poolSize")).isEqualTo("shopmesh.db.poolSize");
  }

  @Test
  @DisplayName("a system property beats an environment variable, which beats the file")
  void precedence() {
    JsonObject env = new JsonObject().put("SHOPMESH_DB_POOL_SIZE", "6");
    JsonObject sys = new JsonObject().put("shopmesh.db.poolSize", "7");
    assertThat(new Settings(FILE, new JsonObject(), new JsonObject(), "f").integer("db.poolSize", 1, 1, 99)).isEqualTo(4);
    assertThat(new Settings(FILE, env, new JsonObject(), "f").integer("db.poolSize", 1, 1, 99)).isEqualTo(6);
    assertThat(new Settings(FILE, env, sys, "f").integer("db.poolSize", 1, 1, 99)).isEqualTo(7);
    assertThat(new Settings(FILE, env, sys, "f").integer("db.missing", 3, 1, 99)).isEqualTo(3);
  }

  @Test
  @DisplayName("durations, sizes and lists are parsed from their written forms")
  void units() {
    Settings s = Settings.of(FILE);
    assertThat(s.duration("http.idleTimeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.bytes("http.bodyLimit", 0)).isEqualTo(2 * 1024 * 1024);
    assertThat(s.list("cors.origins", List.of())).containsExactly("https://a.example", "https://b.example");
    Settings fromEnv = new Settings(new JsonObject(), new JsonObject().put("SHOPMESH_CORS_ORIGINS", "x, y"),
        new JsonObject(), "f");
    assertThat(fromEnv.list("cors.origins", List.of())).containsExactly("x", "y");
    assertThat(s.with(new JsonObject().put("http.idleTimeout", "250ms")).duration("http.idleTimeout", Duration.ZERO))
        .isEqualTo(Duration.ofMillis(250));
  }

  @Test
  @DisplayName("a bad value names the key, where it came from, what was expected and what was given")
  void badValues() {
    Settings s = new Settings(FILE, new JsonObject().put("SHOPMESH_HTTP_PORT", "80a"), new JsonObject(), "conf/x.yaml");
    assertThatThrownBy(() -> s.port("http.port", 8080)).isInstanceOf(ConfigException.class)
        .hasMessage("config key 'http.port' (from env SHOPMESH_HTTP_PORT): expected an integer between 0 and 65535, "
            + "got '80a'");
    assertThatThrownBy(() -> s.duration("db.url", Duration.ZERO)).hasMessageContaining("(from conf/x.yaml)");
    assertThatThrownBy(() -> s.integer("db.poolSize", 1, 8, 16)).hasMessageContaining("between 8 and 16, got '4'");
    assertThatThrownBy(() -> s.string("redis.url")).hasMessage("config key 'redis.url' is required: set it in "
        + "conf/x.yaml, as env SHOPMESH_REDIS_URL or as -Dshopmesh.redis.url");
  }
}
