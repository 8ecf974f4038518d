package io.shopmesh.bench.scenarios;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URI;
import java.util.UUID;

/** The shop's public API as the benchmark drives it, asynchronously, through one base URL. */
final class ShopApi implements AutoCloseable {

  private final WebClient client;

  ShopApi(Vertx vertx, String baseUrl, int connections) {
    URI uri = URI.create(baseUrl);
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(uri.getHost())
        .setDefaultPort(uri.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections)
        .setMaxWaitQueueSize(-1));
  }

  /** Registers a customer and returns an access token. */
  Future<String> customer(String email) {
    String password = "correct horse battery staple";
    return client.post("/api/auth/register").sendJsonObject(new JsonObject().put("email", email)
            .put("password", password).put("name", "Bench customer"))
        .compose(r -> login(email, password));
  }

  Future<String> login(String email, String password) {
    return client.post("/api/auth/login").sendJsonObject(new JsonObject().put("email", email).put("password", password))
        .compose(r -> r.statusCode() == 200 ? Future.succeededFuture(r.bodyAsJsonObject().getString("accessToken"))
            : Future.failedFuture("login " + r.statusCode() + " " + r.bodyAsString()));
  }

  Future<Void> createProduct(String adminToken, String sku, long priceCents, int stock) {
    return client.post("/api/products").bearerTokenAuthentication(adminToken)
        .sendJsonObject(new JsonObject().put("sku", sku).put("name", "Bench " + sku).put("description", "benchmark")
            .put("priceCents", priceCents).put("currency", "EUR").put("stock", stock))
        .compose(r -> r.statusCode() == 201 || r.statusCode() == 409 ? Future.succeededFuture()
            : Future.failedFuture("create product " + r.statusCode() + " " + r.bodyAsString()));
  }

  /**
   * Places an order and long-polls it until decided; true when it was CONFIRMED, a failure saying what
   * went wrong otherwise (which step, its status and problem detail).
   */
  Future<Boolean> orderConfirmed(String token, String sku) {
    return client.post("/api/orders").bearerTokenAuthentication(token)
        .putHeader("Idempotency-Key", UUID.randomUUID().toString())
        .sendJsonObject(new JsonObject().put("items", new JsonArray().add(new JsonObject().put("sku", sku)
            .put("quantity", 1))))
        .compose(r -> r.statusCode() != 202 ? Future.failedFuture(unexpected("POST /api/orders", r))
            : client.get("/api/orders/" + r.bodyAsJsonObject().getString("id") + "?waitFor=CONFIRMED,REJECTED&timeout=20s")
                .bearerTokenAuthentication(token).send()
                .compose(o -> o.statusCode() == 200 && "CONFIRMED".equals(o.bodyAsJsonObject().getString("status"))
                    ? Future.succeededFuture(true) : Future.failedFuture(unexpected("the long poll", o))));
  }

  private static String unexpected(String step, HttpResponse<Buffer> response) {
    String body = response.bodyAsString();
    return step + " answered " + response.statusCode() + ": "
        + (body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body);
  }

  Future<HttpResponse<Buffer>> get(String path, String token) {
    var request = client.get(path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.send();
  }

  @Override
  public void close() {
    client.close();
  }
}
