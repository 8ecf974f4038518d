package io.shopmesh.users;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Three failed logins per account and per address; the test client poses as clients behind a trusted gateway. */
@ExtendWith(InfraExtension.class)
class LoginLimitTest {

  private static final AtomicInteger ADDRESSES = new AtomicInteger(1);
  private static UsersFixture users;

  @BeforeAll
  static void start(TestEnv env) {
    users = UsersFixture.start(env, new JsonObject().put("login", new JsonObject()
        .put("maxAttempts", 3).put("window", "10m").put("trustedProxies", new JsonArray().add("127.0.0.1"))));
  }

  @AfterAll
  static void stop() {
    users.close();
  }

  /** A client address no other test used. */
  private static String newAddress() {
    int n = ADDRESSES.incrementAndGet();
    return "198.51.100." + n;
  }

  private static HttpResponse<Buffer> login(String email, String password, String from) {
    return users.request(HttpMethod.POST, "/api/auth/login")
        .putHeader("X-Forwarded-For", "203.0.113.99, " + from)
        .sendJsonObject(new JsonObject().put("email", email).put("password", password)).await();
  }

  @Test
  @DisplayName("after 3 failed logins an account answers 429 with Retry-After, from any address and even with the right password")
  void perAccount() {
    String email = UsersFixture.email("target");
    users.register(email);
    for (int i = 0; i < 3; i++) {
      assertThat(login(email, "wrong password " + i, newAddress()).statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> blocked = login(email, UsersFixture.PASSWORD, newAddress());
    assertThat(blocked.statusCode()).isEqualTo(429);
    assertThat(blocked.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(Long.parseLong(blocked.getHeader("Retry-After"))).isBetween(1L, 600L);
    assertThat(blocked.bodyAsJsonObject().getString("detail"))
        .isEqualTo("too many failed logins for this account or address; retry later");
  }

  @Test
  @DisplayName("after 3 failed logins from one address that address gets 429 for any account, other addresses do not")
  void perAddress() {
    String attacker = newAddress();
    for (int i = 0; i < 3; i++) {
      assertThat(login(UsersFixture.email("guess"), "wrong password", attacker).statusCode()).isEqualTo(401);
    }
    String email = UsersFixture.email("bystander");
    users.register(email);
    assertThat(login(email, UsersFixture.PASSWORD, attacker).statusCode()).isEqualTo(429);
    assertThat(login(email, UsersFixture.PASSWORD, newAddress()).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("successful logins do not use up the allowance")
  void successesAreFree() {
    String email = UsersFixture.email("regular");
    users.register(email);
    String home = newAddress();
    for (int i = 0; i < 6; i++) {
      assertThat(login(email, UsersFixture.PASSWORD, home).statusCode()).isEqualTo(200);
    }
    assertThat(login(email, "one typo", home).statusCode()).isEqualTo(401);
    assertThat(login(email, UsersFixture.PASSWORD, home).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("only the address appended by the trusted proxy counts: a client cannot pick a fresh one per guess")
  void forwardedForIsNotSpoofable() {
    String attacker = newAddress();
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> response = users.request(HttpMethod.POST, "/api/auth/login")
          .putHeader("X-Forwarded-For", "10.0.0." + i + ", " + attacker)
          .sendJsonObject(new JsonObject().put("email", UsersFixture.email("spoof")).put("password", "wrong password"))
          .await();
      assertThat(response.statusCode()).isEqualTo(401);
    }
    assertThat(login(UsersFixture.email("spoof"), "wrong password", attacker).statusCode()).isEqualTo(429);
  }
}
