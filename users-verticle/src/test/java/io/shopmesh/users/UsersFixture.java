package io.shopmesh.users;

import io.shopmesh.devstack.ServiceDatabase;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The users service running in-process against the test class's databases, Redis and Kafka, with
 * a key directory of its own, a bootstrap admin, and a client on a separate Vert.x instance (so
 * measuring the service never competes with the client for an event loop, and the client
 * outlives a restart).
 */
final class UsersFixture implements AutoCloseable {

  static final String ADMIN_EMAIL = "admin@shopmesh.test";
  static final String ADMIN_PASSWORD = "admin-password-for-tests";
  static final String PASSWORD = "correct horse battery staple";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final TestEnv env;
  private final Vertx clientVertx = Vertx.vertx();
  private final WebClient client;
  private JsonObject overrides;
  private Path keysDir;
  private RunningService service;
  private Pool db;

  private UsersFixture(TestEnv env, Path keysDir, JsonObject overrides) {
    this.env = env;
    this.keysDir = keysDir;
    this.overrides = overrides;
    this.client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(256));
  }

  /** Starts the service with a fresh RSA key {@code k1} and {@code overrides} on top of the test settings. */
  static UsersFixture start(TestEnv env, JsonObject overrides) {
    Path keys = TestKeys.newDir();
    TestKeys.rsa(keys, "k1");
    UsersFixture fixture = new UsersFixture(env, keys, overrides);
    fixture.service = RunningService.start("users", UsersMain::start, fixture.settings());
    return fixture;
  }

  static UsersFixture start(TestEnv env) {
    return start(env, new JsonObject());
  }

  JsonObject settings() {
    JsonObject settings = env.settings("users", true, true, true)
        .put("jwt", new JsonObject().put("keysDir", keysDir.toString()))
        .put("admin", new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD))
        .put("login", new JsonObject().put("maxAttempts", 100_000));
    return settings.mergeIn(overrides.copy(), true);
  }

  /** Stops the service and starts it again on {@code newKeysDir} with extra {@code overrides}. */
  void restart(Path newKeysDir, JsonObject newOverrides) {
    service.close();
    keysDir = newKeysDir;
    overrides = newOverrides;
    service = RunningService.start("users", UsersMain::start, settings());
  }

  Path keysDir() {
    return keysDir;
  }

  RunningService service() {
    return service;
  }

  Vertx clientVertx() {
    return clientVertx;
  }

  /** An email no other test used. */
  static String email(String who) {
    return who + "-" + SEQUENCE.incrementAndGet() + "-" + ProcessHandle.current().pid() + "@example.com";
  }

  /** The service's database, for checks the API cannot show (stored hashes, outbox rows). */
  synchronized Pool db() {
    if (db == null) {
      ServiceDatabase database = env.database("users");
      db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(database.url()).setPassword(database.password()))
          .using(clientVertx).build();
    }
    return db;
  }

  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, service.port(), "127.0.0.1", path).timeout(60_000);
  }

  HttpResponse<Buffer> post(String path, JsonObject body) {
    return request(HttpMethod.POST, path).sendJsonObject(body).await();
  }

  HttpResponse<Buffer> post(String path, JsonObject body, String accessToken) {
    return request(HttpMethod.POST, path).bearerTokenAuthentication(accessToken).sendJsonObject(body).await();
  }

  HttpResponse<Buffer> patch(String path, JsonObject body, String accessToken) {
    return request(HttpMethod.PATCH, path).bearerTokenAuthentication(accessToken).sendJsonObject(body).await();
  }

  HttpResponse<Buffer> get(String path, String accessToken) {
    HttpRequest<Buffer> request = request(HttpMethod.GET, path);
    if (accessToken != null) {
      request.bearerTokenAuthentication(accessToken);
    }
    return request.send().await();
  }

  Future<HttpResponse<Buffer>> loginAsync(String email, String password) {
    return request(HttpMethod.POST, "/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password));
  }

  /** Registers a customer and returns the 201 body. */
  JsonObject register(String email, String password, String name) {
    HttpResponse<Buffer> response = post("/api/auth/register",
        new JsonObject().put("email", email).put("password", password).put("name", name));
    assertThat(response.statusCode()).as("register %s: %s", email, response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  JsonObject register(String email) {
    return register(email, PASSWORD, "Ada Lovelace");
  }

  /** Logs in and returns the 200 body with the token pair. */
  JsonObject login(String email, String password) {
    HttpResponse<Buffer> response = loginAsync(email, password).await();
    assertThat(response.statusCode()).as("login %s: %s", email, response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  String accessToken(String email) {
    return login(email, PASSWORD).getString("accessToken");
  }

  String adminToken() {
    return login(ADMIN_EMAIL, ADMIN_PASSWORD).getString("accessToken");
  }

  /** The decoded header ({@code part} 0) or claims ({@code part} 1) of a JWT. */
  static JsonObject jwtPart(String token, int part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[part]), StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    try {
      if (service != null) {
        service.close();
      }
    } finally {
      if (db != null) {
        db.close().await();
      }
      client.close();
      clientVertx.close().await();
    }
  }
}
