package io.shopmesh.users;

import io.shopmesh.platform.config.ConfigException;
import io.shopmesh.platform.config.ConfigLoader;
import io.shopmesh.platform.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsersConfigTest {

  private static Vertx vertx;
  private static Settings shipped;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    Path conf = Path.of(System.getProperty("shopmesh.repo.root", ".."), "conf", "users.yaml");
    shipped = ConfigLoader.load(vertx, "users", conf).await();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("conf/users.yaml gives the documented defaults once a key directory is named")
  void shippedDefaults() {
    UsersConfig config = UsersConfig.from(shipped.with(new JsonObject().put("jwt.keysDir", "/etc/shopmesh/keys")));
    assertThat(config.jwt().keysDir()).isEqualTo(Path.of("/etc/shopmesh/keys"));
    assertThat(config.jwt().activeKid()).isEmpty();
    assertThat(config.jwt().accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.jwt().refreshTokenTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(config.auth().issuer()).isEqualTo("shopmesh-users");
    assertThat(config.auth().audience()).isEqualTo("shopmesh");
    assertThat(config.passwords().workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.passwords().maxQueued()).isEqualTo(64);
    assertThat(config.login().maxAttempts()).isEqualTo(10);
    assertThat(config.login().window()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.login().trustedProxies()).isEmpty();
    assertThat(config.admin().email()).isEmpty();
  }

  @Test
  @DisplayName("without a key directory the service refuses to start and says where to set it")
  void keysDirRequired() {
    assertThatThrownBy(() -> UsersConfig.from(shipped))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'jwt.keysDir' is required")
        .hasMessageContaining("SHOPMESH_JWT_KEYS_DIR");
  }

  @Test
  @DisplayName("the admin password never shows in the config's string form")
  void adminPasswordHidden() {
    UsersConfig config = UsersConfig.from(shipped.with(new JsonObject().put("jwt.keysDir", "/k")
        .put("admin.email", "root@example.com").put("admin.password", "s3cret-admin-password")));
    assertThat(config.admin().password()).isEqualTo(Optional.of("s3cret-admin-password"));
    assertThat(config.toString()).contains("root@example.com").doesNotContain("s3cret-admin-password");
  }

  @Test
  @DisplayName("token lifetimes and the login window are checked for sense")
  void bounds() {
    Settings base = shipped.with(new JsonObject().put("jwt.keysDir", "/k"));
    assertThatThrownBy(() -> UsersConfig.from(base.with(new JsonObject().put("jwt.accessTokenTtl", "2d"))))
        .hasMessageContaining("jwt.accessTokenTtl");
    assertThatThrownBy(() -> UsersConfig.from(base.with(new JsonObject().put("jwt.refreshTokenTtl", "10m"))))
        .hasMessageContaining("jwt.refreshTokenTtl");
    assertThatThrownBy(() -> UsersConfig.from(base.with(new JsonObject().put("login.window", "0s"))))
        .hasMessageContaining("login.window");
    assertThat(UsersConfig.from(base.with(new JsonObject().put("login.trustedProxies", "10.0.0.5, 10.0.0.6")))
        .login().trustedProxies()).isEqualTo(List.of("10.0.0.5", "10.0.0.6"));
  }
}
