package io.shopmesh.users;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(InfraExtension.class)
class RegistrationTest {

  private static UsersFixture users;

  @BeforeAll
  static void start(TestEnv env) {
    users = UsersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    users.close();
  }

  private static HttpResponse<Buffer> register(JsonObject body) {
    return users.post("/api/auth/register", body);
  }

  private static JsonObject account(String email, String password, String name) {
    return new JsonObject().put("email", email).put("password", password).put("name", name);
  }

  private static void assertFieldError(HttpResponse<Buffer> response, String field, String message) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getJsonArray("errors"))
        .as(response.bodyAsString())
        .contains(new JsonObject().put("field", field).put("message", message));
  }

  @Test
  @DisplayName("a new customer gets 201 with id, email, name, the customer role, the creation time and a Location")
  void registers() {
    String email = UsersFixture.email("ada");
    HttpResponse<Buffer> response = register(account(email.toUpperCase(), UsersFixture.PASSWORD, "  Ada Lovelace "));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("id", "email", "name", "roles", "createdAt");
    assertThat(UUID.fromString(body.getString("id"))).isNotNull();
    assertThat(body.getString("email")).isEqualTo(email);
    assertThat(body.getString("name")).isEqualTo("Ada Lovelace");
    assertThat(body.getJsonArray("roles")).isEqualTo(new JsonArray().add("customer"));
    assertThat(Instant.parse(body.getString("createdAt"))).isBefore(Instant.now().plusSeconds(1));
    assertThat(response.getHeader("Location")).isEqualTo("/api/users/" + body.getString("id"));
  }

  @Test
  @DisplayName("an email that is already registered, in any letter case, answers 409 and creates nothing")
  void duplicateEmail() {
    String email = UsersFixture.email("grace");
    users.register(email);
    HttpResponse<Buffer> again = register(account(email.toUpperCase(), "another long password", "Grace Hopper"));
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("detail")).isEqualTo("an account with this email already exists");
    Row count = users.db().preparedQuery("SELECT count(*) AS n FROM users WHERE email = $1").execute(Tuple.of(email))
        .await().iterator().next();
    assertThat(count.getLong("n")).isEqualTo(1);
  }

  @Test
  @DisplayName("a bad email, a password shorter than 12 or longer than 128 characters and a bad name each get a field message")
  void validation() {
    String email = UsersFixture.email("val");
    assertFieldError(register(account("not-an-email", UsersFixture.PASSWORD, "Ada")), "email",
        "is not a valid email address");
    assertFieldError(register(account("a".repeat(250) + "@x.io", UsersFixture.PASSWORD, "Ada")), "email",
        "must be at most 254 characters");
    assertFieldError(register(account(email, "elevenchars", "Ada")), "password", "must be at least 12 characters");
    assertFieldError(register(account(email, "p".repeat(129), "Ada")), "password", "must be at most 128 characters");
    assertFieldError(register(account(email, UsersFixture.PASSWORD, "n".repeat(101))), "name",
        "must be at most 100 characters");
    assertFieldError(register(account(email, UsersFixture.PASSWORD, "   ")), "name", "must not be blank");

    HttpResponse<Buffer> empty = register(new JsonObject());
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.bodyAsJsonObject().getJsonArray("errors")).containsExactly(
        new JsonObject().put("field", "email").put("message", "is required"),
        new JsonObject().put("field", "password").put("message", "is required"),
        new JsonObject().put("field", "name").put("message", "is required"));
    assertThat(empty.bodyAsJsonObject().getString("detail")).isEqualTo("3 fields are invalid");

    // the boundaries themselves are fine
    users.register(email, "p".repeat(128), "n".repeat(100));
    users.register(UsersFixture.email("twelve"), "twelve chars", "A");
  }

  @Test
  @DisplayName("a registration naming its own roles (or any unknown field) is refused with 400 and creates nothing")
  void massAssignment() {
    String email = UsersFixture.email("mallory");
    HttpResponse<Buffer> response = register(account(email, UsersFixture.PASSWORD, "Mallory")
        .put("roles", new JsonArray().add("admin")));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("detail")).isEqualTo("unknown field 'roles'");
    JsonObject created = users.register(email);
    assertThat(created.getJsonArray("roles")).isEqualTo(new JsonArray().add("customer"));
  }

  @Test
  @DisplayName("the stored password hash is argon2id with m=19456, t=2, p=1, a 16-byte salt and a 32-byte hash")
  void storedHash() {
    String email = UsersFixture.email("hash");
    users.register(email);
    String hash = users.db().preparedQuery("SELECT password_hash FROM users WHERE email = $1").execute(Tuple.of(email))
        .await().iterator().next().getString("password_hash");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(UsersFixture.PASSWORD);
    String[] parts = hash.split("\\$");
    assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
    assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
  }

  @Test
  @DisplayName("a registration writes UserRegistered to the outbox in its transaction, and the relay publishes it")
  void userRegisteredEvent() {
    JsonObject created = users.register(UsersFixture.email("event"), UsersFixture.PASSWORD, "Eve Event");
    String id = created.getString("id");
    List<Row> rows = users.db().preparedQuery("SELECT type, envelope FROM outbox WHERE aggregate_id = $1")
        .execute(Tuple.of(id)).await().stream().toList();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getString("type")).isEqualTo("UserRegistered");
    JsonObject payload = new JsonObject(rows.get(0).getString("envelope")).getJsonObject("payload");
    assertThat(payload.getString("userId")).isEqualTo(id);
    assertThat(payload.getString("email")).isEqualTo(created.getString("email"));
    assertThat(payload.getString("name")).isEqualTo("Eve Event");
    assertThat(payload.encode()).doesNotContain("password", "argon2");
    await("the relay publishes the event").atMost(Duration.ofSeconds(30)).until(() ->
        users.db().preparedQuery("SELECT published_at FROM outbox WHERE aggregate_id = $1").execute(Tuple.of(id))
            .await().iterator().next().getValue("published_at") != null);
  }
}
