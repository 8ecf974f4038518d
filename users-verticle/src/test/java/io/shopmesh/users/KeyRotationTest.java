package io.shopmesh.users;

import io.shopmesh.platform.config.ConfigException;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.TestEnv;
import io.shopmesh.users.tokens.SigningKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(InfraExtension.class)
class KeyRotationTest {

  private static TestEnv env;
  private static UsersFixture users;

  @BeforeAll
  static void start(TestEnv testEnv) {
    env = testEnv;
    users = UsersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    users.close();
  }

  private static JsonArray jwks() {
    HttpResponse<Buffer> response = users.get("/.well-known/jwks.json", null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("keys");
  }

  private static List<String> kids(JsonArray keys) {
    return keys.stream().map(k -> ((JsonObject) k).getString("kid")).toList();
  }

  @Test
  @DisplayName("a key rotates without downtime: the retired key verifies its tokens while published, and not once removed")
  void rotation() {
    String email = UsersFixture.email("rotating");
    users.register(email);
    String oldToken = users.accessToken(email);
    assertThat(UsersFixture.jwtPart(oldToken, 0).getString("kid")).isEqualTo("k1");
    JsonObject k1 = jwks().getJsonObject(0);
    assertThat(k1.fieldNames()).containsExactlyInAnyOrder("kty", "n", "e", "kid", "alg", "use");
    assertThat(k1.getString("alg")).isEqualTo("RS256");

    // rotate: a new EC key signs, the old key stays published as public-only
    Path rotated = TestKeys.newDir();
    TestKeys.ec(rotated, "k2");
    PublicKey k1Public = SigningKeys.load(users.keysDir(), Optional.empty()).active().publicKey();
    TestKeys.write(rotated.resolve("k1.pub.pem"), TestKeys.pem("PUBLIC KEY", k1Public.getEncoded()));
    users.restart(rotated, new JsonObject());

    JsonArray both = jwks();
    assertThat(kids(both)).containsExactly("k2", "k1");
    JsonObject k2 = both.getJsonObject(0);
    assertThat(k2.fieldNames()).containsExactlyInAnyOrder("kty", "crv", "x", "y", "kid", "alg", "use");
    assertThat(k2.getString("kty")).isEqualTo("EC");
    assertThat(k2.getString("crv")).isEqualTo("P-256");
    assertThat(k2.getString("alg")).isEqualTo("ES256");
    assertThat(both.getJsonObject(1).getString("n")).isEqualTo(k1.getString("n"));

    assertThat(users.get("/api/users/me", oldToken).statusCode()).as("old token while k1 is published").isEqualTo(200);
    String newToken = users.accessToken(email);
    assertThat(UsersFixture.jwtPart(newToken, 0).getString("kid")).isEqualTo("k2");
    assertThat(UsersFixture.jwtPart(newToken, 0).getString("alg")).isEqualTo("ES256");
    assertThat(users.get("/api/users/me", newToken).statusCode()).isEqualTo(200);

    // retire k1 for good
    Path retired = TestKeys.newDir();
    copy(rotated.resolve("k2.pem"), retired.resolve("k2.pem"));
    users.restart(retired, new JsonObject());
    assertThat(kids(jwks())).containsExactly("k2");
    HttpResponse<Buffer> rejected = users.get("/api/users/me", oldToken);
    assertThat(rejected.statusCode()).as("old token once k1 is removed").isEqualTo(401);
    assertThat(rejected.bodyAsJsonObject().getString("detail")).contains("unknown signing key");
    assertThat(users.get("/api/users/me", newToken).statusCode()).isEqualTo(200);
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("with several private keys jwt.activeKid must name the signing one; every key is published")
  void activeKid() {
    Path dir = TestKeys.newDir();
    TestKeys.rsa(dir, "k3");
    TestKeys.rsa(dir, "k4");
    JsonObject settings = users.settings().put("jwt", new JsonObject().put("keysDir", dir.toString()));
    assertThatThrownBy(() -> RunningService.start("users", UsersMain::start, settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'jwt.activeKid' is required")
        .hasMessageContaining("k3, k4");

    settings.getJsonObject("jwt").put("activeKid", "k4");
    try (RunningService service = RunningService.start("users", UsersMain::start, settings)) {
      JsonArray keys = service.client().get("/.well-known/jwks.json").send().await().bodyAsJsonObject()
          .getJsonArray("keys");
      assertThat(kids(keys)).containsExactly("k4", "k3");
      String token = service.client().post("/api/auth/login").sendJsonObject(new JsonObject()
              .put("email", UsersFixture.ADMIN_EMAIL).put("password", UsersFixture.ADMIN_PASSWORD))
          .await().bodyAsJsonObject().getString("accessToken");
      assertThat(UsersFixture.jwtPart(token, 0).getString("kid")).isEqualTo("k4");
    }
  }

  @Test
  @DisplayName("a missing key directory stops the start with a message naming jwt.keysDir")
  void missingKeys() {
    JsonObject settings = users.settings().put("jwt", new JsonObject().put("keysDir", "/nonexistent/keys"));
    assertThatThrownBy(() -> RunningService.start("users", UsersMain::start, settings))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key 'jwt.keysDir': /nonexistent/keys is not a directory");
  }
}
