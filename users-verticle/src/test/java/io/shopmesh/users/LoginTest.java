package io.shopmesh.users;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.shopmesh.users.domain.Argon2id;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(InfraExtension.class)
class LoginTest {

  private static UsersFixture users;

  @BeforeAll
  static void start(TestEnv env) {
    users = UsersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    users.close();
  }

  private static HttpResponse<Buffer> login(String email, String password) {
    return users.loginAsync(email, password).await();
  }

  @Test
  @DisplayName("a customer logs in and gets a Bearer access token, its lifetime and a refresh token")
  void login() {
    String email = UsersFixture.email("ada");
    JsonObject account = users.register(email);
    HttpResponse<Buffer> response = login(email.toUpperCase(), UsersFixture.PASSWORD);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("accessToken", "tokenType", "expiresIn", "refreshToken");
    assertThat(body.getString("tokenType")).isEqualTo("Bearer");
    assertThat(body.getLong("expiresIn")).isEqualTo(900);
    assertThat(body.getString("refreshToken")).matches("[A-Za-z0-9_-]{43}");

    String token = body.getString("accessToken");
    JsonObject header = UsersFixture.jwtPart(token, 0);
    assertThat(header.getString("alg")).isEqualTo("RS256");
    assertThat(header.getString("kid")).isEqualTo("k1");
    JsonObject claims = UsersFixture.jwtPart(token, 1);
    assertThat(claims.getString("iss")).isEqualTo("shopmesh-users");
    assertThat(claims.getString("aud")).isEqualTo("shopmesh");
    assertThat(claims.getString("sub")).isEqualTo(account.getString("id"));
    assertThat(claims.getJsonArray("roles")).isEqualTo(new JsonArray().add("customer"));
    assertThat(UUID.fromString(claims.getString("jti"))).isNotNull();
    long now = Instant.now().getEpochSecond();
    assertThat(claims.getLong("iat")).isBetween(now - 60, now + 1);
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(900);

    HttpResponse<Buffer> me = users.get("/api/users/me", token);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject()).isEqualTo(account);
  }

  @Test
  @DisplayName("a wrong password and an unknown email get the same 401 and take about as long")
  void sameAnswerForUnknownEmail() {
    String email = UsersFixture.email("known");
    users.register(email);
    HttpResponse<Buffer> wrong = login(email, "not the right password");
    HttpResponse<Buffer> unknown = login(UsersFixture.email("nobody"), "not the right password");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    JsonObject wrongBody = wrong.bodyAsJsonObject();
    JsonObject unknownBody = unknown.bodyAsJsonObject();
    assertThat(wrongBody.getString("detail")).isEqualTo("the email or password is not correct")
        .isEqualTo(unknownBody.getString("detail"));
    assertThat(wrongBody.copy().put("requestId", "-")).isEqualTo(unknownBody.copy().put("requestId", "-"));
    assertThat(wrong.getHeader("WWW-Authenticate")).isEqualTo(unknown.getHeader("WWW-Authenticate"));

    List<Long> wrongMillis = new ArrayList<>();
    List<Long> unknownMillis = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      wrongMillis.add(timed(email));
      unknownMillis.add(timed(UsersFixture.email("nobody")));
    }
    long wrongMedian = median(wrongMillis);
    long unknownMedian = median(unknownMillis);
    System.out.printf("login 401 median: wrong password %d ms, unknown email %d ms%n", wrongMedian, unknownMedian);
    assertThat(unknownMedian)
        .as("an unknown email pays for a password check too (wrong password %d ms)", wrongMedian)
        .isGreaterThanOrEqualTo(wrongMedian / 2);
  }

  private static long timed(String email) {
    long start = System.nanoTime();
    assertThat(login(email, "not the right password").statusCode()).isEqualTo(401);
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  @Test
  @DisplayName("a login without email or password is a 400 naming the missing field")
  void missingFields() {
    HttpResponse<Buffer> response = users.post("/api/auth/login", new JsonObject().put("email", "a@b.io"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonArray("errors"))
        .containsExactly(new JsonObject().put("field", "password").put("message", "is required"));
    HttpResponse<Buffer> extra = users.post("/api/auth/login",
        new JsonObject().put("email", "a@b.io").put("password", "x").put("name", "y"));
    assertThat(extra.statusCode()).isEqualTo(400);
    assertThat(extra.bodyAsJsonObject().getString("detail")).isEqualTo("unknown field 'name'");
  }

  @Test
  @DisplayName("an account hashed with weaker argon2id parameters is rehashed with the current ones at its next login")
  void rehashesWeakHashes() {
    String email = UsersFixture.email("legacy");
    String weak = new Argon2id(new Argon2id.Parameters(4096, 1, 1)).hash(UsersFixture.PASSWORD);
    users.db().preparedQuery("INSERT INTO users (id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(UUID.randomUUID(), email, "Legacy", weak, new String[] {"customer"})).await();

    assertThat(login(email, "wrong password for legacy").statusCode()).isEqualTo(401);
    assertThat(storedHash(email)).as("a failed login changes nothing").isEqualTo(weak);

    users.login(email, UsersFixture.PASSWORD);
    await("the hash is upgraded").atMost(Duration.ofSeconds(10))
        .until(() -> storedHash(email).startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
    users.login(email, UsersFixture.PASSWORD);
  }

  private static String storedHash(String email) {
    return users.db().preparedQuery("SELECT password_hash FROM users WHERE email = $1").execute(Tuple.of(email))
        .await().iterator().next().getString("password_hash");
  }
}
