package io.shopmesh.e2e;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/** A customer (or the admin) of the shop, speaking only to the gateway's public API. */
final class ShopClient {

  /** The gateway gives up on an upstream after 10 s by default: long polls stay below it. */
  private static final String POLL_TIMEOUT = "8s";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String gateway;
  private volatile String token;
  private String email;
  private String password;

  ShopClient(String gateway) {
    this.gateway = gateway;
  }

  /** Registers a new customer and logs in. */
  static ShopClient customer(String gateway) {
    ShopClient client = new ShopClient(gateway);
    String email = "e2e-" + UUID.randomUUID() + "@example.com";
    String password = "correct horse battery staple";
    Response registered = client.send("POST", "/api/auth/register", new JsonObject().put("email", email)
        .put("password", password).put("name", "E2E Customer"), null);
    registered.expect(201);
    return client.login(email, password);
  }

  ShopClient login(String email, String password) {
    this.email = email;
    this.password = password;
    Response login = send("POST", "/api/auth/login", new JsonObject().put("email", email).put("password", password),
        null);
    token = login.expect(200).json().getString("accessToken");
    return this;
  }

  /** Logs in again with the same credentials (access tokens are short-lived). */
  synchronized ShopClient relogin() {
    return login(email, password);
  }

  /** Creates a product (admin only) and returns its sku. */
  String createProduct(String sku, long priceCents, int stock) {
    send("POST", "/api/products", new JsonObject().put("sku", sku).put("name", "Product " + sku)
        .put("description", "made by an e2e test").put("priceCents", priceCents).put("currency", "EUR")
        .put("stock", stock), null).expect(201);
    return sku;
  }

  int available(String sku) {
    return send("GET", "/api/products/" + sku, null, null).expect(200).json().getInteger("available");
  }

  Response placeOrder(String sku, int quantity) {
    JsonObject body = new JsonObject().put("items", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("sku", sku).put("quantity", quantity)));
    return send("POST", "/api/orders", body, UUID.randomUUID().toString());
  }

  JsonObject order(String id) {
    return send("GET", "/api/orders/" + id, null, null).expect(200).json();
  }

  Response cancel(String id) {
    return send("POST", "/api/orders/" + id + "/cancel", null, null);
  }

  /**
   * Long-polls the order until it is in one of {@code states} (re-polling after each gateway-bound
   * timeout) or {@code deadline} passes; returns the last state seen.
   */
  JsonObject awaitOrder(String id, Set<String> states, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    String waitFor = String.join(",", states);
    JsonObject order;
    do {
      order = send("GET", "/api/orders/" + id + "?waitFor=" + waitFor + "&timeout=" + POLL_TIMEOUT, null, null)
          .expect(200).json();
    } while (!states.contains(order.getString("status")) && System.nanoTime() < end);
    return order;
  }

  /** The caller's user id (the {@code sub} of its token). */
  String userId() {
    return send("GET", "/api/users/me", null, null).expect(200).json().getString("id");
  }

  /**
   * One try of a request, as a client with a deadline sees it: a transport failure (refused or
   * reset connection, no answer within {@code timeout}) is a response with status 0 and the
   * failure as its body, instead of an exception.
   */
  Response attempt(String method, String path, JsonObject body, String idempotencyKey, Duration timeout) {
    try {
      return send(method, path, body, idempotencyKey, timeout);
    } catch (IllegalStateException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw e;
      }
      return new Response(method + " " + path, 0, String.valueOf(e.getCause()), "");
    }
  }

  Response send(String method, String path, JsonObject body, String idempotencyKey) {
    return send(method, path, body, idempotencyKey, Duration.ofSeconds(30));
  }

  private Response send(String method, String path, JsonObject body, String idempotencyKey, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(timeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(method + " " + path, response.statusCode(), response.body(),
          response.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An answer of the gateway. */
  record Response(String request, int status, String body, String contentType) {

    Response expect(int expected) {
      if (status != expected) {
        throw new AssertionError(request + ": expected " + expected + " but got " + status + ": " + body);
      }
      return this;
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }
}
