package io.shopmesh.users;

import io.shopmesh.testkit.HostileInput;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.shopmesh.testkit.ServiceChecks.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of every request body and query parameter of the users API with hostile input:
 * each is a clear 4xx problem document (400, 413 over the body limit), never a 5xx, and none
 * creates an account, changes a profile or issues a token.
 */
class UsersHostileInputTest {

  private static final long BODY_LIMIT = 64 * 1024;

  private static TestEnv env;
  private static UsersFixture users;
  private static String email;
  private static String customer;
  private static String admin;
  private static String refreshToken;

  @BeforeContainer
  static void start() {
    env = TestEnv.standalone();
    // the body limit of conf/users.yaml (in-process services default to 1 MB)
    users = UsersFixture.start(env, new JsonObject().put("http", new JsonObject().put("bodyLimit", "64kb")));
    email = UsersFixture.email("fuzz");
    users.register(email);
    JsonObject login = users.login(email, UsersFixture.PASSWORD);
    customer = login.getString("accessToken");
    refreshToken = login.getString("refreshToken");
    admin = users.adminToken();
  }

  @AfterContainer
  static void stop() {
    users.close();
    env.close();
  }

  record Call(HttpMethod method, String path, boolean authenticated, HostileInput.Body body) {
  }

  @Property(tries = 150)
  @Label("a hostile body on register, login, refresh, logout or profile update is a 400 problem (413 over the"
      + " limit) and changes nothing")
  void hostileBodies(@ForAll("calls") Call call) {
    String before = state();
    HttpRequest<Buffer> request = users.request(call.method(), call.path()).putHeader("Content-Type",
        "application/json");
    if (call.authenticated()) {
      request.bearerTokenAuthentication(customer);
    }
    HttpResponse<Buffer> response = request.sendBuffer(Buffer.buffer(call.body().bytes())).await();

    assertProblem(response, call.body().expectedStatus(), call + " " + call.body());
    assertThat(response.getHeader("Cache-Control")).as("no token was issued").isNull();
    assertThat(state()).as("accounts after %s", call.body()).isEqualTo(before);
  }

  @Provide
  Arbitrary<Call> calls() {
    JsonObject register = new JsonObject().put("email", "new-fuzz@example.com").put("password", "a long enough pass")
        .put("name", "Fuzz");
    JsonObject login = new JsonObject().put("email", email).put("password", UsersFixture.PASSWORD);
    JsonObject refresh = new JsonObject().put("refreshToken", refreshToken);
    JsonObject rename = new JsonObject().put("name", "Renamed");
    return Arbitraries.oneOf(
        HostileInput.bodies(register, BODY_LIMIT).map(b -> new Call(HttpMethod.POST, "/api/auth/register", false, b)),
        HostileInput.bodies(login, BODY_LIMIT).map(b -> new Call(HttpMethod.POST, "/api/auth/login", false, b)),
        HostileInput.bodies(refresh, BODY_LIMIT).map(b -> new Call(HttpMethod.POST, "/api/auth/refresh", false, b)),
        HostileInput.bodies(refresh, BODY_LIMIT).map(b -> new Call(HttpMethod.POST, "/api/auth/logout", true, b)),
        HostileInput.bodies(rename, BODY_LIMIT).map(b -> new Call(HttpMethod.PATCH, "/api/users/me", true, b)));
  }

  @Property(tries = 80)
  @Label("hostile admin list parameters (limit, cursor) are a 200 or a 400 problem (414 when too long), never a 5xx")
  void listParameters(@ForAll("parameterNames") String name, @ForAll("queryValues") String value) {
    HttpResponse<Buffer> response = users.get("/api/users?" + name + "=" + HostileInput.urlValue(value), admin);

    assertThat(response.statusCode()).as(name + "=" + value).isIn(200, 400, 414);
    if (response.statusCode() != 200) {
      assertProblem(response, response.statusCode(), name + "=" + value);
    }
  }

  @Provide
  Arbitrary<String> parameterNames() {
    return Arbitraries.of("limit", "cursor");
  }

  @Provide
  Arbitrary<String> queryValues() {
    return HostileInput.queryValues();
  }

  @Property(tries = 50)
  @Label("a hostile user id in the path is a 404 problem (414 when too long), never a 5xx")
  void hostileIds(@ForAll("ids") String id) {
    HttpResponse<Buffer> response = users.get("/api/users/" + HostileInput.urlValue(id), admin);

    assertThat(response.statusCode()).as(id).isIn(400, 404, 414);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Provide
  Arbitrary<String> ids() {
    return HostileInput.queryValues().filter(v -> !v.replace(".", "").isEmpty() && !v.equals("me"));
  }

  @Property(tries = 40)
  @Label("a display name with unicode edge cases or injection text is stored verbatim (trimmed) or refused with 400,"
      + " never a 5xx")
  void unicodeNames(@ForAll("names") String name) {
    HttpResponse<Buffer> response = users.patch("/api/users/me", new JsonObject().put("name", name), customer);

    assertThat(response.statusCode()).as(name).isIn(200, 400);
    if (response.statusCode() == 200) {
      assertThat(response.bodyAsJsonObject().getString("name")).isEqualTo(name.strip());
      assertThat(users.get("/api/users/me", customer).bodyAsJsonObject().getString("name")).isEqualTo(name.strip());
    } else {
      assertProblem(response, 400, name);
    }
  }

  @Provide
  Arbitrary<String> names() {
    // a lone surrogate cannot travel as UTF-8 at all: the client would send '?' instead
    return Arbitraries.of(HostileInput.UNICODE_EDGES).filter(s -> StandardCharsets.UTF_8.newEncoder().canEncode(s));
  }

  @Example
  @Label("a 10 MB registration is refused with 413 and creates nothing")
  void tenMegabytes() {
    String before = state();
    HostileInput.Body body = HostileInput.oversized(new JsonObject().put("name", "x"), 10L * 1024 * 1024);
    HttpResponse<Buffer> response = users.request(HttpMethod.POST, "/api/auth/register")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body.bytes())).await();

    assertProblem(response, 413, "10 MB");
    assertThat(state()).isEqualTo(before);
  }

  @Example
  @Label("a customer cannot give itself roles or another email through registration or its profile")
  void massAssignment() {
    String before = state();
    for (String field : List.of("roles", "id", "email", "createdAt")) {
      HttpResponse<Buffer> rename = users.patch("/api/users/me", new JsonObject().put("name", "n")
          .put(field, field.equals("roles") ? new io.vertx.core.json.JsonArray().add("admin") : "x"), customer);
      assertProblem(rename, 400, field);
    }
    HttpResponse<Buffer> register = users.post("/api/auth/register", new JsonObject().put("email",
        UsersFixture.email("roles")).put("password", UsersFixture.PASSWORD).put("name", "n")
        .put("roles", new io.vertx.core.json.JsonArray().add("admin")));
    assertProblem(register, 400, "roles");
    assertThat(state()).isEqualTo(before);
    assertThat(users.get("/api/users/me", customer).bodyAsJsonObject().getJsonArray("roles")).containsExactly(
        "customer");
  }

  /** Accounts, their names and roles. */
  private static String state() {
    return users.db().query("SELECT count(*) || '/' || coalesce(string_agg(email || ':' || name || ':'"
        + " || array_to_string(roles, ','), ';' ORDER BY email), '') FROM users").execute().await().iterator().next()
        .getString(0);
  }
}
