package io.shopmesh.users;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(InfraExtension.class)
class UsersApiTest {

  private static UsersFixture users;

  @BeforeAll
  static void start(TestEnv env) {
    users = UsersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    users.close();
  }

  @Test
  @DisplayName("the admin account from config exists after start and logs in with the admin role")
  void bootstrapAdmin() {
    JsonObject login = users.login(UsersFixture.ADMIN_EMAIL, UsersFixture.ADMIN_PASSWORD);
    assertThat(UsersFixture.jwtPart(login.getString("accessToken"), 1).getJsonArray("roles"))
        .isEqualTo(new JsonArray().add("admin"));
    JsonObject me = users.get("/api/users/me", login.getString("accessToken")).bodyAsJsonObject();
    assertThat(me.getString("email")).isEqualTo(UsersFixture.ADMIN_EMAIL);
    assertThat(me.getJsonArray("roles")).isEqualTo(new JsonArray().add("admin"));
  }

  @Test
  @DisplayName("a customer reads their profile and changes their name; email and roles cannot be changed there")
  void profile() {
    String email = UsersFixture.email("profile");
    JsonObject account = users.register(email);
    String token = users.accessToken(email);
    assertThat(users.get("/api/users/me", token).bodyAsJsonObject()).isEqualTo(account);

    HttpResponse<Buffer> renamed = users.patch("/api/users/me", new JsonObject().put("name", "Countess of Lovelace"), token);
    assertThat(renamed.statusCode()).as(renamed.bodyAsString()).isEqualTo(200);
    assertThat(renamed.bodyAsJsonObject()).isEqualTo(account.copy().put("name", "Countess of Lovelace"));

    HttpResponse<Buffer> roles = users.patch("/api/users/me",
        new JsonObject().put("roles", new JsonArray().add("admin")), token);
    assertThat(roles.statusCode()).isEqualTo(400);
    assertThat(roles.bodyAsJsonObject().getString("detail")).isEqualTo("unknown field 'roles'");
    HttpResponse<Buffer> mail = users.patch("/api/users/me",
        new JsonObject().put("name", "x").put("email", "other@example.com"), token);
    assertThat(mail.statusCode()).isEqualTo(400);
    HttpResponse<Buffer> longName = users.patch("/api/users/me", new JsonObject().put("name", "n".repeat(101)), token);
    assertThat(longName.statusCode()).isEqualTo(400);
    assertThat(longName.bodyAsJsonObject().getJsonArray("errors")).containsExactly(
        new JsonObject().put("field", "name").put("message", "must be at most 100 characters"));

    JsonObject after = users.get("/api/users/me", users.accessToken(email)).bodyAsJsonObject();
    assertThat(after.getString("email")).isEqualTo(email);
    assertThat(after.getJsonArray("roles")).isEqualTo(new JsonArray().add("customer"));
  }

  @Test
  @DisplayName("protected routes answer 401 without a valid token, whatever identity headers say")
  void zeroTrust() {
    HttpResponse<Buffer> anonymous = users.request(HttpMethod.GET, "/api/users/me")
        .putHeader("X-User-Id", "someone").putHeader("X-User-Roles", "admin").send().await();
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(users.get("/api/users", "not-a-jwt").statusCode()).isEqualTo(401);

    KeyPair stranger = TestKeys.generate("RSA", 2048);
    JWTAuth forger = JWTAuth.create(users.clientVertx(), new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("RS256").setId("k1").setBuffer(TestKeys.pem("PRIVATE KEY", stranger.getPrivate().getEncoded()))));
    String forged = forger.generateToken(new JsonObject().put("sub", "00000000-0000-0000-0000-000000000001")
            .put("roles", new JsonArray().add("admin")),
        new JWTOptions().setAlgorithm("RS256").setIssuer("shopmesh-users").setAudience(List.of("shopmesh"))
            .setExpiresInSeconds(600));
    assertThat(users.get("/api/users", forged).statusCode()).as("signed by a key that merely claims kid k1").isEqualTo(401);

    String real = users.adminToken();
    String[] parts = real.split("\\.");
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"k1\"}") + "." + parts[1] + ".";
    assertThat(users.get("/api/users", none).statusCode()).as("alg none").isEqualTo(401);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("only an admin lists accounts: a customer gets 403")
  void listIsAdminOnly() {
    String email = UsersFixture.email("curious");
    users.register(email);
    HttpResponse<Buffer> response = users.get("/api/users", users.accessToken(email));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo("this operation requires the 'admin' role");
  }

  @Test
  @DisplayName("an admin pages through every account once with an opaque cursor, even while others sign up")
  void cursorPaging() {
    Set<String> existing = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      existing.add(users.register(UsersFixture.email("paged")).getString("id"));
    }
    String admin = users.adminToken();
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path = "/api/users?limit=3" + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<Buffer> page = users.get(path, admin);
      assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
      JsonObject body = page.bodyAsJsonObject();
      JsonArray items = body.getJsonArray("items");
      assertThat(items.size()).isLessThanOrEqualTo(3);
      items.forEach(item -> {
        JsonObject user = (JsonObject) item;
        assertThat(user.fieldNames()).containsExactlyInAnyOrder("id", "email", "name", "roles", "createdAt");
        seen.add(user.getString("id"));
      });
      cursor = body.getString("nextCursor");
      // sign-ups while paging: two at once, between every two pages
      Future.all(signUp(), signUp()).await();
      pages++;
    } while (cursor != null && pages < 100);

    assertThat(seen).doesNotHaveDuplicates().containsAll(existing);
    assertThat(users.get("/api/users", admin).bodyAsJsonObject().getJsonArray("items")).hasSizeLessThanOrEqualTo(20);
  }

  private static Future<HttpResponse<Buffer>> signUp() {
    return users.request(HttpMethod.POST, "/api/auth/register").sendJsonObject(new JsonObject()
        .put("email", UsersFixture.email("concurrent")).put("password", UsersFixture.PASSWORD).put("name", "C"));
  }

  @Test
  @DisplayName("a limit outside 1..100 or a made-up cursor is a 400 naming the parameter")
  void pagingInput() {
    String admin = users.adminToken();
    for (String bad : List.of("limit=0", "limit=101", "limit=ten", "limit=5&limit=6")) {
      HttpResponse<Buffer> response = users.get("/api/users?" + bad, admin);
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("limit");
    }
    for (String bad : List.of("cursor=abc", "cursor=" + b64("12:not-a-uuid"), "cursor=%00")) {
      HttpResponse<Buffer> response = users.get("/api/users?" + bad, admin);
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("cursor");
    }
  }

  @Test
  @DisplayName("an account by id: its owner and an admin get it, another customer gets the same 404 as for a missing id")
  void noBrokenObjectLevelAuthorization() {
    String aliceEmail = UsersFixture.email("alice");
    JsonObject alice = users.register(aliceEmail);
    String bobEmail = UsersFixture.email("bob");
    users.register(bobEmail);
    String path = "/api/users/" + alice.getString("id");

    assertThat(users.get(path, users.accessToken(aliceEmail)).bodyAsJsonObject()).isEqualTo(alice);
    assertThat(users.get(path, users.adminToken()).bodyAsJsonObject()).isEqualTo(alice);

    HttpResponse<Buffer> bob = users.get(path, users.accessToken(bobEmail));
    HttpResponse<Buffer> missing = users.get("/api/users/00000000-0000-7000-8000-000000000000", users.adminToken());
    assertThat(bob.statusCode()).isEqualTo(404);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(bob.bodyAsString()).doesNotContain(aliceEmail);
    assertThat(users.get("/api/users/not-a-uuid", users.adminToken()).statusCode()).isEqualTo(404);
  }
}
