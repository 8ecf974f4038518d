package io.shopmesh.platform.http;

import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure a service can meet reaches the client as application/problem+json. */
@ExtendWith(VertxExtension.class)
class ProblemResponsesTest {

  record Order(String sku, int quantity, List<String> tags) {
    Order {
      if (quantity < 1) {
        throw new IllegalArgumentException("quantity: must be at least 1");
      }
    }
  }

  private static Vertx vertx;
  private static WebClient client;
  private static ServiceContext service;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Settings settings = Settings.of(new JsonObject().put("http", new JsonObject().put("port", 0)
        .put("bodyLimit", 1024).put("instances", 1)));
    service = new ServiceContext("test", vertx, settings, Metrics.registry("test"));
    HttpConfig http = HttpConfig.from(settings, 0);
    int port = service.serveHttp(http, v -> service.router(v, http).routes(router -> {
      router.get("/boom").respond(ctx -> Future.failedFuture(new IllegalStateException("secret internals")));
      router.get("/thrown").handler(ctx -> {
        throw new IllegalStateException("secret internals");
      });
      router.get("/busy").respond(ctx -> Future.failedFuture(
          ProblemException.unavailable("try later", java.time.Duration.ofSeconds(3))));
      router.get("/db-restarting").respond(ctx -> Future.failedFuture(new io.vertx.pgclient.PgException(
          "the database system is starting up", "FATAL", "57P03", null)));
      router.get("/db-nul").respond(ctx -> Future.failedFuture(new io.vertx.pgclient.PgException(
          "invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null)));
      router.get("/db-lost").respond(ctx -> Future.failedFuture(io.vertx.sqlclient.ClosedConnectionException.INSTANCE));
      router.get("/db-reset").respond(ctx -> Future.failedFuture(new java.net.SocketException("Connection reset")));
      router.get("/db-closed").respond(ctx -> Future.failedFuture(new java.nio.channels.ClosedChannelException()));
      router.get("/db-broken-pipe").respond(ctx -> Future.failedFuture(new java.io.IOException("Broken pipe")));
      router.get("/bad-mapping").respond(ctx -> Future.failedFuture(new IllegalArgumentException("mapping",
          new com.fasterxml.jackson.core.JsonParseException(null, "secret internals"))));
      router.get("/db-refused").respond(ctx -> Future.failedFuture(new IllegalStateException("pool",
          new java.net.ConnectException("Connection refused"))));
      router.post("/orders").respond(ctx -> Future.succeededFuture(
          JsonObject.mapFrom(StrictJson.body(ctx, Order.class))));
    }).build()).await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    service.shutdown().await();
    vertx.close().await();
  }

  @Test
  @DisplayName("a database that is restarting, lost or refusing connections is a 503 with Retry-After, not a 500")
  void dependencyDown() {
    for (String path : List.of("/db-restarting", "/db-lost", "/db-reset", "/db-closed", "/db-broken-pipe",
        "/db-refused")) {
      HttpResponse<Buffer> r = client.get(path).send().await();
      JsonObject problem = assertProblem(r, 503);
      assertThat(r.getHeader("Retry-After")).as(path).isEqualTo("1");
      assertThat(problem.getString("detail")).as(path).doesNotContain("Connection refused", "Connection reset", "starting up");
    }
  }

  @Test
  @DisplayName("text the database cannot hold (a NUL character) is the request's fault: a 400, not a 500")
  void unstorableText() {
    assertThat(assertProblem(client.get("/db-nul").send().await(), 400).getString("detail")).contains("NUL");
  }

  @Test
  @DisplayName("an unknown path is a 404 problem naming the path, with the request id")
  void unknownPath() {
    HttpResponse<Buffer> r = client.get("/nowhere").putHeader("X-Request-Id", "abc-123").send().await();
    JsonObject problem = assertProblem(r, 404);
    assertThat(problem.getString("detail")).isEqualTo("no resource at /nowhere");
    assertThat(problem.getString("instance")).isEqualTo("/nowhere");
    assertThat(problem.getString("requestId")).isEqualTo("abc-123");
    assertThat(r.getHeader("X-Request-Id")).isEqualTo("abc-123");
  }

  @Test
  @DisplayName("a request without a usable X-Request-Id gets a generated one")
  void generatedRequestId() {
    HttpResponse<Buffer> r = client.get("/nowhere").putHeader("X-Request-Id", "bad id with spaces").send().await();
    JsonObject problem = assertProblem(r, 404);
    assertThat(r.getHeader("X-Request-Id")).isNotBlank().isNotEqualTo("bad id with spaces")
        .isEqualTo(problem.getString("requestId"));
  }

  @Test
  @DisplayName("a wrong method on a known path is a 405 problem")
  void wrongMethod() {
    assertProblem(client.request(HttpMethod.DELETE, "/orders").send().await(), 405);
  }

  @Test
  @DisplayName("a body over the limit is a 413 problem")
  void tooLarge() {
    String big = "{\"sku\":\"" + "x".repeat(2000) + "\",\"quantity\":1}";
    HttpResponse<Buffer> r = client.post("/orders").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(big)).await();
    assertProblem(r, 413);
  }

  @Test
  @DisplayName("an unexpected failure is a 500 problem that reveals nothing internal")
  void unexpected() {
    for (String path : List.of("/boom", "/thrown", "/bad-mapping")) {
      HttpResponse<Buffer> r = client.get(path).send().await();
      JsonObject problem = assertProblem(r, 500);
      assertThat(r.bodyAsString()).doesNotContain("secret internals").doesNotContain("Exception");
      assertThat(problem.getString("detail")).contains("requestId");
    }
  }

  @Test
  @DisplayName("a domain failure keeps its status and Retry-After")
  void domainFailure() {
    HttpResponse<Buffer> r = client.get("/busy").send().await();
    assertProblem(r, 503);
    assertThat(r.getHeader("Retry-After")).isEqualTo("3");
  }

  @Test
  @DisplayName("a valid body is decoded")
  void validBody() {
    HttpResponse<Buffer> r = post("{\"sku\":\"A-1\",\"quantity\":2,\"tags\":[\"x\"]}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getInteger("quantity")).isEqualTo(2);
  }

  @Test
  @DisplayName("bad bodies are 400 problems whose detail names what is wrong")
  void badBodies() {
    assertBadBody("{\"sku\":\"A\",\"quantity\":1,\"roles\":[\"admin\"]}", "unknown field 'roles'");
    assertBadBody("{\"sku\":\"A\",\"quantity\":\"1\"}", "field 'quantity': expected an integer");
    assertBadBody("{\"sku\":5,\"quantity\":1}", "field 'sku': expected a string");
    assertBadBody("{\"sku\":\"A\",\"quantity\":1.5}", "field 'quantity': expected an integer");
    assertBadBody("{\"sku\":\"A\",\"quantity\":99999999999}", "quantity");
    assertBadBody("{\"sku\":\"A\",\"quantity\":0}", "quantity: must be at least 1");
    assertBadBody("{\"sku\":\"A\",\"sku\":\"B\",\"quantity\":1}", "Duplicate field 'sku'");
    assertBadBody("{\"sku\":\"A\",\"quantity\":1} trailing", "not valid JSON");
    assertBadBody("{\"sku\":\"A\",\"quantity\":1,\"tags\":[1]}", "field 'tags[0]': expected a string");
    assertBadBody("[1,2]", "must be a JSON object");
    assertBadBody("{\"sku\":\"A\",\"quantity\":", "not valid JSON");
    assertBadBody("{\"tags\":" + "[".repeat(100) + "]".repeat(100) + "}", "tags");
    assertBadBody("[".repeat(400) + "]".repeat(400), "must be a JSON object");
    assertBadBody("", "empty");
    HttpResponse<Buffer> invalidUtf8 = client.post("/orders").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(new byte[] {'{', '"', 's', 'k', 'u', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}))
        .await();
    assertProblem(invalidUtf8, 400);
    assertBadBody("null", "not null");
    // an overlong '/' and an encoded surrogate: Jackson would decode both into mangled text
    for (byte[] sneaky : new byte[][] {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}}) {
      Buffer body = Buffer.buffer("{\"sku\":\"").appendBytes(sneaky).appendString("\",\"quantity\":1}");
      HttpResponse<Buffer> r = client.post("/orders").putHeader("Content-Type", "application/json").sendBuffer(body)
          .await();
      assertThat(assertProblem(r, 400).getString("detail")).isEqualTo("the request body is not valid UTF-8");
    }
  }

  @Test
  @DisplayName("a body that is not JSON is a 415 problem")
  void wrongContentType() {
    HttpResponse<Buffer> r = client.post("/orders").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("sku=A")).await();
    assertProblem(r, 415);
  }

  private void assertBadBody(String body, String expectedDetail) {
    JsonObject problem = assertProblem(post(body), 400);
    assertThat(problem.getString("detail")).as("detail for %s", body).contains(expectedDetail);
  }

  private HttpResponse<Buffer> post(String body) {
    return client.post("/orders").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8))).await();
  }

  private static JsonObject assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as("status of %s", r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.fieldNames()).contains("type", "title", "status", "detail", "instance", "requestId");
    return problem;
  }
}
