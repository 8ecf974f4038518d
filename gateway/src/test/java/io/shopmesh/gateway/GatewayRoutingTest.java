package io.shopmesh.gateway;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayRoutingTest {

  private GatewayFixture mesh;
  private String customer;

  @BeforeAll
  void start(TestEnv env) {
    mesh = new GatewayFixture(env, new JsonObject());
    customer = mesh.tokens.token("user-1", "customer");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        get("/api/orders", customer).statusCode() == 200);
  }

  @AfterAll
  void stop() {
    mesh.close();
  }

  @ParameterizedTest(name = "{0} {1} reaches {2}")
  @CsvSource({
      "GET, /api/orders, orders",
      "GET, /api/orders/42?x=1, orders",
      "POST, /api/auth/login, users",
      "GET, /api/users/me, users",
      "GET, /.well-known/jwks.json, users",
      "GET, /api/products, inventory",
      "GET, /api/products/SKU-1, inventory"})
  @DisplayName("each API prefix reaches its own service, with the path and query unchanged")
  void routes(String method, String path, String service) {
    HttpResponse<Buffer> r = mesh.gateway.client().request(HttpMethod.valueOf(method), path)
        .putHeader("Authorization", "Bearer " + customer).send().await();
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    if (!path.contains("jwks")) {
      assertThat(r.bodyAsJsonObject().getString("service")).isEqualTo(service);
      assertThat(r.bodyAsJsonObject().getString("uri")).isEqualTo(path);
    }
  }

  @Test
  @DisplayName("an unknown path is a 404 problem from the gateway itself")
  void unknownPath() {
    HttpResponse<Buffer> r = get("/api/nothing-here", customer);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(mesh.orders.hits() + mesh.inventory.hits()).isGreaterThan(0);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"//api/orders", "/api/products/../orders", "/api/products/%2e%2e/orders",
      "/api/products/..%2forders", "/api/products%2f..%2forders", "/api/orders/%2e", "/api/orders\\x"})
  @DisplayName("paths that could mean something else upstream are refused with 400")
  void traversal(String path) throws Exception {
    String response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + customer
        + "\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(response).contains("application/problem+json");
  }

  @Test
  @DisplayName("an absolute-form target naming another host is refused, not forwarded there")
  void absoluteForm() throws Exception {
    String response = raw("GET http://169.254.169.254/api/orders HTTP/1.1\r\nHost: 169.254.169.254\r\n"
        + "Authorization: Bearer " + customer + "\r\nConnection: close\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400");
  }

  @Test
  @DisplayName("Host and X-Forwarded-Host do not steer the upstream, and the gateway sets the forwarding headers")
  void headersDoNotSteer() {
    HttpResponse<Buffer> r = mesh.gateway.client().get("/api/products/A")
        .putHeader("Host", "evil.example:80")
        .putHeader("X-Forwarded-Host", "evil.example")
        .putHeader("X-Forwarded-For", "6.6.6.6")
        .putHeader("X-User-Id", "admin")
        .putHeader("X-Roles", "admin")
        .putHeader("Connection", "X-Secret")
        .putHeader("X-Secret", "hop-by-hop")
        .send().await();
    JsonObject echo = r.bodyAsJsonObject();
    JsonObject headers = echo.getJsonObject("headers");
    assertThat(echo.getString("service")).isEqualTo("inventory");
    assertThat(headers.getString("host")).isEqualTo("127.0.0.1:" + mesh.inventoryLink.port());
    assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(headers.fieldNames()).doesNotContain("x-user-id", "x-roles", "x-secret", "x-forwarded-host");
    assertThat(headers.getString("x-request-id")).isEqualTo(r.getHeader("X-Request-Id"));
    assertThat(r.getHeader("X-Hop")).as("hop-by-hop response header").isNull();
    assertThat(r.headers().getAll("X-Request-Id")).hasSize(1);
  }

  @Test
  @DisplayName("exporting no spans, the gateway starts no trace, carries on a client's trace with its own span ids,"
      + " and decides itself that it is not recorded")
  void traceContext() {
    JsonObject untraced = get("/api/products/A", customer).bodyAsJsonObject().getJsonObject("headers");
    assertThat(untraced.fieldNames()).doesNotContain("traceparent");

    String clientTrace = "0af7651916cd43dd8448eb211c80319c";
    String clientSpan = "b7ad6b7169203331";
    JsonObject traced = mesh.gateway.client().get("/api/products/A").putHeader("Authorization", "Bearer " + customer)
        .putHeader("traceparent", "00-" + clientTrace + "-" + clientSpan + "-01").send().await()
        .bodyAsJsonObject().getJsonObject("headers");
    assertThat(traced.getString("traceparent")).matches("00-" + clientTrace + "-[0-9a-f]{16}-00")
        .doesNotContain(clientSpan);
  }

  private HttpResponse<Buffer> get(String path, String token) {
    return mesh.gateway.client().get(path).putHeader("Authorization", "Bearer " + token).send().await();
  }

  private String raw(String request) {
    NetSocket socket = mesh.vertx.createNetClient().connect(mesh.gateway.port(), "127.0.0.1").await();
    Buffer received = Buffer.buffer();
    io.vertx.core.Promise<String> done = io.vertx.core.Promise.promise();
    socket.handler(received::appendBuffer);
    socket.closeHandler(v -> done.tryComplete(received.toString()));
    socket.write(request);
    return done.future().await();
  }
}
