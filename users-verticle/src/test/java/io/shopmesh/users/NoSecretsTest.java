package io.shopmesh.users;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every flow that touches a password, with all log lines of the JVM captured. */
@ExtendWith(InfraExtension.class)
class NoSecretsTest {

  private static final String WRONG = "an entirely wrong password";
  private static final String SHORT = "short-pw-11";
  private static UsersFixture users;
  private static ListAppender<ILoggingEvent> logs;
  private static Logger root;

  @BeforeAll
  static void start(TestEnv env) {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    users = UsersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    users.close();
    root.detachAppender(logs);
  }

  @Test
  @DisplayName("no response and no log line contains a password, a password hash or a refresh token")
  void noSecretsAnywhere() {
    List<HttpResponse<Buffer>> responses = new ArrayList<>();
    String email = UsersFixture.email("secretive");
    JsonObject account = new JsonObject().put("email", email).put("password", UsersFixture.PASSWORD).put("name", "S");
    responses.add(users.post("/api/auth/register", account));
    responses.add(users.post("/api/auth/register", account));
    responses.add(users.post("/api/auth/register", account.copy().put("email", UsersFixture.email("x"))
        .put("password", SHORT)));
    responses.add(users.post("/api/auth/register", account.copy().put("password", 42)));
    responses.add(users.post("/api/auth/login", new JsonObject().put("email", email).put("password", WRONG)));
    responses.add(users.post("/api/auth/login", new JsonObject().put("email", "nobody@example.com").put("password", WRONG)));
    HttpResponse<Buffer> login = users.post("/api/auth/login",
        new JsonObject().put("email", email).put("password", UsersFixture.PASSWORD));
    JsonObject first = login.bodyAsJsonObject();
    HttpResponse<Buffer> rotated = users.post("/api/auth/refresh",
        new JsonObject().put("refreshToken", first.getString("refreshToken")));
    JsonObject second = rotated.bodyAsJsonObject();
    responses.add(users.post("/api/auth/refresh", new JsonObject().put("refreshToken", first.getString("refreshToken"))));
    String admin = users.adminToken();
    responses.add(users.get("/api/users", admin));
    responses.add(users.get("/api/users/me", second.getString("accessToken")));
    responses.add(users.post("/api/auth/logout", new JsonObject().put("refreshToken", second.getString("refreshToken")),
        second.getString("accessToken")));

    List<String> secrets = new ArrayList<>(List.of(UsersFixture.PASSWORD, UsersFixture.ADMIN_PASSWORD, WRONG, SHORT,
        first.getString("refreshToken"), second.getString("refreshToken"), "$argon2id$"));
    users.db().query("SELECT password_hash FROM users").execute().await()
        .forEach(row -> {
          String[] parts = row.getString("password_hash").split("\\$");
          secrets.add(parts[4]);
          secrets.add(parts[5]);
        });

    for (HttpResponse<Buffer> response : responses) {
      String text = response.headers() + "\n" + response.bodyAsString();
      assertThat(text).as("response %s", text).doesNotContain(secrets);
    }
    assertThat(login.bodyAsString()).doesNotContain(UsersFixture.PASSWORD, "argon2");

    List<String> lines = logs.list.stream().map(NoSecretsTest::render).toList();
    assertThat(lines).as("captured log lines").isNotEmpty();
    assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(secrets));
  }

  private static String render(ILoggingEvent event) {
    String text = event.getFormattedMessage() + " " + event.getMDCPropertyMap() + " " + event.getKeyValuePairs();
    return event.getThrowableProxy() == null ? text : text + "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
  }
}
