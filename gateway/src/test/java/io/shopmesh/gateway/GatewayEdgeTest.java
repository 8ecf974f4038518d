package io.shopmesh.gateway;

import io.shopmesh.devstack.Ports;
import io.shopmesh.testkit.FaultProxy;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** TLS with HTTP/2, CORS, limits and the composite order view at the edge. */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayEdgeTest {

  private final int tlsPort = Ports.freePort();
  private GatewayFixture mesh;
  private String token;

  @BeforeAll
  void start(TestEnv env) {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    mesh = new GatewayFixture(env, new JsonObject()
        .put("tls", new JsonObject().put("enabled", true).put("port", tlsPort)
            .put("certPath", certificate.certificatePath()).put("keyPath", certificate.privateKeyPath()))
        .put("cors", new JsonObject().put("origins", new JsonArray().add("https://shop.example")))
        .put("http", new JsonObject().put("bodyLimit", "1kb")));
    token = mesh.tokens.token("user-1", "customer");
    mesh.orders.serve("/api/orders/o-1", new JsonObject().put("id", "o-1").put("status", "CONFIRMED")
        .put("items", new JsonArray().add(new JsonObject().put("sku", "APPLE").put("quantity", 2))
            .add(new JsonObject().put("sku", "PEAR").put("quantity", 1))));
    mesh.inventory.serve("/api/products/APPLE", new JsonObject().put("sku", "APPLE").put("name", "Apple"));
    mesh.inventory.serve("/api/products/PEAR", new JsonObject().put("sku", "PEAR").put("name", "Pear"));
    mesh.inventory.serve("/api/products", products("APPLE", "Apple", "PEAR", "Pear"));
    await().atMost(Duration.ofSeconds(10)).until(() -> details().statusCode() == 200);
  }

  @AfterAll
  void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("the TLS port completes a handshake, speaks HTTP/2 through ALPN and sends HSTS")
  void tlsAndHttp2() {
    HttpClient client = mesh.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2));
    HttpClientResponse response = client.request(HttpMethod.GET, tlsPort, "localhost", "/api/products/APPLE")
        .compose(request -> request.send()).await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(response.getHeader("Strict-Transport-Security")).startsWith("max-age=");
    client.close().await();
  }

  @Test
  @DisplayName("a CORS preflight from an allowed origin is answered; another origin gets no CORS grant but a 403 problem")
  void cors() {
    HttpResponse<Buffer> allowed = mesh.gateway.client().request(HttpMethod.OPTIONS, "/api/orders")
        .putHeader("Origin", "https://shop.example")
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
        .send().await();
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://shop.example");
    HttpResponse<Buffer> other = mesh.gateway.client().request(HttpMethod.OPTIONS, "/api/orders")
        .putHeader("Origin", "https://evil.example")
        .putHeader("Access-Control-Request-Method", "POST").send().await();
    assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(other.bodyAsJsonObject().getString("detail")).contains("cross-origin request is not allowed");
    HttpResponse<Buffer> read = mesh.gateway.client().request(HttpMethod.GET, "/api/products")
        .putHeader("Origin", "https://evil.example").send().await();
    assertThat(read.statusCode()).as("a simple request from another origin").isEqualTo(403);
    assertThat(read.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  @DisplayName("the composite order view adds product names read in one inventory request (a product missing from"
      + " its answer is read alone), and degrades instead of failing when inventory is cut")
  void compositeDetails() {
    int before = mesh.inventory.uris().size();
    HttpResponse<Buffer> full = details();
    assertThat(full.statusCode()).isEqualTo(200);
    JsonObject order = full.bodyAsJsonObject();
    assertThat(order.getJsonArray("items").getJsonObject(0).getString("name")).isEqualTo("Apple");
    assertThat(order.getJsonArray("items").getJsonObject(1).getString("name")).isEqualTo("Pear");
    assertThat(order.containsKey("degraded")).isFalse();
    assertThat(mesh.inventory.uris().subList(before, mesh.inventory.uris().size()))
        .containsExactly("/api/products?sku=APPLE&sku=PEAR");

    // an inventory whose answer lacks PEAR (deleted since, or a version without ?sku= in a rolling upgrade)
    mesh.inventory.serve("/api/products", products("APPLE", "Apple"));
    try {
      before = mesh.inventory.uris().size();
      JsonObject fallback = details().bodyAsJsonObject();
      assertThat(fallback.getJsonArray("items").getJsonObject(1).getString("name")).isEqualTo("Pear");
      assertThat(fallback.containsKey("degraded")).isFalse();
      assertThat(mesh.inventory.uris().subList(before, mesh.inventory.uris().size()))
          .containsExactly("/api/products?sku=APPLE&sku=PEAR", "/api/products/PEAR");
    } finally {
      mesh.inventory.serve("/api/products", products("APPLE", "Apple", "PEAR", "Pear"));
    }

    mesh.inventoryLink.mode(FaultProxy.Mode.DROP);
    try {
      HttpResponse<Buffer> degraded = details();
      assertThat(degraded.statusCode()).isEqualTo(200);
      assertThat(degraded.bodyAsJsonObject().getString("status")).isEqualTo("CONFIRMED");
      assertThat(degraded.bodyAsJsonObject().getJsonArray("degraded")).containsExactly("products");
    } finally {
      mesh.inventoryLink.mode(FaultProxy.Mode.PASS);
    }
  }

  @Test
  @DisplayName("the composite view needs a token like every order route")
  void compositeNeedsToken() {
    HttpResponse<Buffer> anonymous = mesh.gateway.client().get("/api/orders/o-1/details").send().await();
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("oversized headers are refused (431 or a closed connection) without hurting later requests")
  void limits() {
    // its own client: the refused connection is closed by the server and must not be reused
    WebClient separate = WebClient.create(mesh.vertx);
    Future<HttpResponse<Buffer>> huge = separate.get(mesh.gateway.port(), "127.0.0.1", "/api/products/APPLE")
        .putHeader("X-Padding", "x".repeat(20_000)).send();
    huge.otherwiseEmpty().await();
    separate.close();
    if (huge.succeeded()) {
      assertThat(huge.result().statusCode()).isEqualTo(431);
    }
    HttpResponse<Buffer> ok = mesh.gateway.client().get("/api/products/APPLE").send().await();
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.getHeader("X-Request-Id")).isNotBlank();
  }

  /** An inventory page answer: sku, name, sku, name... */
  private static JsonObject products(String... skusAndNames) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < skusAndNames.length; i += 2) {
      items.add(new JsonObject().put("sku", skusAndNames[i]).put("name", skusAndNames[i + 1]));
    }
    return new JsonObject().put("items", items).putNull("nextCursor");
  }

  private HttpResponse<Buffer> details() {
    return mesh.gateway.client().get("/api/orders/o-1/details").putHeader("Authorization", "Bearer " + token)
        .send().await();
  }
}
