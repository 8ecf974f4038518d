package io.shopmesh.users;

import io.shopmesh.devstack.ServiceDatabase;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(InfraExtension.class)
class RefreshTokensTest {

  private static UsersFixture users;
  private static TestEnv env;

  @BeforeAll
  static void start(TestEnv testEnv) {
    env = testEnv;
    users = UsersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    users.close();
  }

  private static HttpResponse<Buffer> refresh(String refreshToken) {
    return users.post("/api/auth/refresh", new JsonObject().put("refreshToken", refreshToken));
  }

  private static JsonObject newLogin() {
    String email = UsersFixture.email("session");
    users.register(email);
    return users.login(email, UsersFixture.PASSWORD);
  }

  @Test
  @DisplayName("a refresh returns a new token pair, and the presented refresh token stops working")
  void rotation() {
    JsonObject first = newLogin();
    HttpResponse<Buffer> rotated = refresh(first.getString("refreshToken"));
    assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
    assertThat(rotated.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject second = rotated.bodyAsJsonObject();
    assertThat(second.getString("tokenType")).isEqualTo("Bearer");
    assertThat(second.getString("refreshToken")).isNotEqualTo(first.getString("refreshToken"));
    assertThat(second.getString("accessToken")).isNotEqualTo(first.getString("accessToken"));
    assertThat(users.get("/api/users/me", second.getString("accessToken")).statusCode()).isEqualTo(200);

    JsonObject third = refresh(second.getString("refreshToken")).bodyAsJsonObject();
    assertThat(third.getString("refreshToken")).isNotBlank();
  }

  @Test
  @DisplayName("presenting an already-rotated refresh token revokes the whole family: the newest token dies too")
  void reuseRevokesFamily() {
    JsonObject first = newLogin();
    JsonObject second = refresh(first.getString("refreshToken")).bodyAsJsonObject();
    JsonObject third = refresh(second.getString("refreshToken")).bodyAsJsonObject();

    HttpResponse<Buffer> reused = refresh(first.getString("refreshToken"));
    assertThat(reused.statusCode()).isEqualTo(401);
    assertThat(reused.bodyAsJsonObject().getString("detail"))
        .isEqualTo("the refresh token was already used; every session of this login has been signed out");

    HttpResponse<Buffer> newest = refresh(third.getString("refreshToken"));
    assertThat(newest.statusCode()).isEqualTo(401);
    assertThat(newest.bodyAsJsonObject().getString("detail")).isEqualTo("the refresh token is not valid; log in again");
    assertThat(refresh(second.getString("refreshToken")).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("of ten concurrent refreshes with one token exactly one succeeds, and the race revokes the family")
  void concurrentRefresh() {
    JsonObject login = newLogin();
    List<Future<HttpResponse<Buffer>>> racing = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      racing.add(users.request(HttpMethod.POST, "/api/auth/refresh")
          .sendJsonObject(new JsonObject().put("refreshToken", login.getString("refreshToken"))));
    }
    Future.join(racing).await();
    List<HttpResponse<Buffer>> won = racing.stream().map(Future::result).filter(r -> r.statusCode() == 200).toList();
    assertThat(won).hasSize(1);
    assertThat(racing).allSatisfy(r -> assertThat(r.result().statusCode()).isIn(200, 401));
    assertThat(refresh(won.get(0).bodyAsJsonObject().getString("refreshToken")).statusCode())
        .as("a second use of one token is a reuse: the winner's successor is revoked with the family")
        .isEqualTo(401);
  }

  @Test
  @DisplayName("a refresh that fails before answering (its database unavailable) leaves the token current: the retry works")
  void failedRefreshCanBeRetried() {
    JsonObject login = newLogin();
    String token = login.getString("refreshToken");
    ServiceDatabase db = env.database("users");
    PgConnection sql = PgConnection.connect(users.clientVertx(), new PgConnectOptions().setHost(db.host())
        .setPort(db.port()).setDatabase(db.database()).setUser(db.role()).setPassword(db.password())).await();
    try {
      // the service's queries of users fail while the table is away (the same as the database refusing them)
      sql.query("ALTER TABLE users RENAME TO users_away").execute().await();
      HttpResponse<Buffer> failed = refresh(token);
      assertThat(failed.statusCode()).as(failed.bodyAsString()).isGreaterThanOrEqualTo(500);
    } finally {
      sql.query("ALTER TABLE users_away RENAME TO users").execute().await();
      sql.close().await();
    }
    HttpResponse<Buffer> retried = refresh(token);
    assertThat(retried.statusCode()).as("the client's retry: %s", retried.bodyAsString()).isEqualTo(200);
    assertThat(refresh(retried.bodyAsJsonObject().getString("refreshToken")).statusCode())
        .as("the family is alive: the successor works").isEqualTo(200);
  }

  @Test
  @DisplayName("logout revokes the login's family with 204; its access token stays valid until it expires")
  void logout() {
    JsonObject login = newLogin();
    JsonObject rotated = refresh(login.getString("refreshToken")).bodyAsJsonObject();
    HttpResponse<Buffer> out = users.post("/api/auth/logout",
        new JsonObject().put("refreshToken", rotated.getString("refreshToken")), rotated.getString("accessToken"));
    assertThat(out.statusCode()).as(out.bodyAsString()).isEqualTo(204);
    assertThat(refresh(rotated.getString("refreshToken")).statusCode()).isEqualTo(401);
    assertThat(users.get("/api/users/me", rotated.getString("accessToken")).statusCode())
        .as("access tokens are not revocable; they live jwt.accessTokenTtl").isEqualTo(200);

    HttpResponse<Buffer> again = users.post("/api/auth/logout",
        new JsonObject().put("refreshToken", rotated.getString("refreshToken")), rotated.getString("accessToken"));
    assertThat(again.statusCode()).as("logging out twice is fine").isEqualTo(204);
  }

  @Test
  @DisplayName("logging out one login leaves the same user's other logins alone")
  void otherFamiliesSurvive() {
    String email = UsersFixture.email("two-devices");
    users.register(email);
    JsonObject phone = users.login(email, UsersFixture.PASSWORD);
    JsonObject laptop = users.login(email, UsersFixture.PASSWORD);
    assertThat(users.post("/api/auth/logout", new JsonObject().put("refreshToken", phone.getString("refreshToken")),
        phone.getString("accessToken")).statusCode()).isEqualTo(204);
    assertThat(refresh(laptop.getString("refreshToken")).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("logout needs a bearer token, and cannot revoke another account's login (403)")
  void logoutIsProtected() {
    JsonObject victim = newLogin();
    JsonObject attacker = newLogin();
    JsonObject body = new JsonObject().put("refreshToken", victim.getString("refreshToken"));
    assertThat(users.post("/api/auth/logout", body).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> foreign = users.post("/api/auth/logout", body, attacker.getString("accessToken"));
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(refresh(victim.getString("refreshToken")).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("an unknown refresh token is a 401, a missing one a 400")
  void badInput() {
    assertThat(refresh("made-up-token").statusCode()).isEqualTo(401);
    HttpResponse<Buffer> missing = users.post("/api/auth/refresh", new JsonObject());
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsJsonObject().getString("detail")).isEqualTo("refreshToken: is required");
  }

  @Test
  @DisplayName("Redis holds refresh tokens only as SHA-256 hashes, each expiring after jwt.refreshTokenTtl")
  void storedHashed() {
    JsonObject login = newLogin();
    String token = login.getString("refreshToken");
    Redis redis = Redis.createClient(users.clientVertx(), env.redisUrl());
    try {
      List<String> keys = new ArrayList<>();
      redis.send(Request.cmd(Command.KEYS).arg(env.redisKeyPrefix() + "users:*")).await()
          .forEach(key -> keys.add(key.toString()));
      assertThat(keys).isNotEmpty().noneMatch(key -> key.contains(token));
      StringBuilder values = new StringBuilder();
      for (String key : keys) {
        Response type = redis.send(Request.cmd(Command.TYPE).arg(key)).await();
        Response value = redis.send(Request.cmd(type.toString().equals("hash") ? Command.HGETALL : Command.GET)
            .arg(key)).await();
        values.append(value);
      }
      assertThat(values.toString()).doesNotContain(token);
      String tokenKey = env.redisKeyPrefix() + "users:refresh:" + sha256(token);
      assertThat(keys).contains(tokenKey);
      long ttl = redis.send(Request.cmd(Command.PTTL).arg(tokenKey)).await().toLong();
      assertThat(Duration.ofMillis(ttl)).isBetween(Duration.ofDays(30).minusMinutes(5), Duration.ofDays(30));
    } finally {
      redis.close();
    }
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
