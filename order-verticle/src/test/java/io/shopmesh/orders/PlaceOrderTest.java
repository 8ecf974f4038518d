package io.shopmesh.orders;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.shopmesh.orders.OrdersFixture.body;
import static io.shopmesh.orders.OrdersFixture.newUser;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(InfraExtension.class)
class PlaceOrderTest {

  private static OrdersFixture orders;

  @BeforeAll
  static void start(TestEnv env) {
    orders = OrdersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    orders.close();
  }

  private long ordersOf(String user) {
    return orders.count("SELECT count(*) FROM orders WHERE user_id = $1", user);
  }

  @Test
  @DisplayName("placing an order answers 202 PENDING with its lines and Location, and writes OrderPlaced in the same"
      + " transaction")
  void placed() {
    String token = orders.token(newUser());

    HttpResponse<Buffer> response = orders.place(token, UUID.randomUUID().toString(), body("SKU-A", 2, "SKU-B", 1));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    JsonObject order = response.bodyAsJsonObject();
    assertThat(order.fieldNames()).containsExactlyInAnyOrder("id", "status", "items", "createdAt");
    assertThat(order.getString("status")).isEqualTo("PENDING");
    assertThat(order.getJsonArray("items").encode())
        .isEqualTo("[{\"sku\":\"SKU-A\",\"quantity\":2},{\"sku\":\"SKU-B\",\"quantity\":1}]");
    assertThat(response.getHeader("Location")).isEqualTo("/api/orders/" + order.getString("id"));
    assertThat(orders.outboxTypes(order.getString("id"))).containsExactly("OrderPlaced");
    JsonObject placed = orders.outboxPayloads(order.getString("id"), "OrderPlaced").get(0);
    assertThat(placed.getJsonArray("lines").size()).isEqualTo(2);
    assertThat(orders.order(token, order.getString("id")).getString("status")).isEqualTo("PENDING");
  }

  @Test
  @DisplayName("the same key and body sent twice create one order and get the same answer")
  void sameKeyTwice() {
    String user = newUser();
    String token = orders.token(user);
    String key = UUID.randomUUID().toString();

    HttpResponse<Buffer> first = orders.place(token, key, body("SKU-A", 1));
    HttpResponse<Buffer> second = orders.place(token, key, body("SKU-A", 1));

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(second.bodyAsString()).isEqualTo(first.bodyAsString());
    assertThat(second.getHeader("Location")).isEqualTo(first.getHeader("Location"));
    assertThat(second.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(ordersOf(user)).isEqualTo(1);
    assertThat(orders.outboxTypes(first.bodyAsJsonObject().getString("id"))).containsExactly("OrderPlaced");
  }

  @Test
  @DisplayName("20 concurrent identical requests with one key create exactly one order, and all 20 get its answer")
  void concurrentSameKey() {
    String user = newUser();
    String token = orders.token(user);
    String key = UUID.randomUUID().toString();
    Buffer body = body("SKU-A", 1, "SKU-B", 2).toBuffer();

    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(orders.request(HttpMethod.POST, "/api/orders", token).putHeader("Content-Type", "application/json")
          .putHeader("Idempotency-Key", key).sendBuffer(body));
    }
    Future.all(sent).await();

    assertThat(sent).allSatisfy(f -> assertThat(f.result().statusCode()).as(f.result().bodyAsString()).isEqualTo(202));
    assertThat(sent.stream().map(f -> f.result().bodyAsString()).distinct()).hasSize(1);
    assertThat(ordersOf(user)).isEqualTo(1);
    assertThat(orders.count("SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND aggregate_id = $1",
        sent.get(0).result().bodyAsJsonObject().getString("id"))).isEqualTo(1);
  }

  @Test
  @DisplayName("a key reused with a different body is a 422 and creates nothing; the body's line order does not count")
  void keyReusedWithOtherBody() {
    String user = newUser();
    String token = orders.token(user);
    String key = UUID.randomUUID().toString();
    HttpResponse<Buffer> first = orders.place(token, key, body("SKU-A", 1, "SKU-B", 1));

    HttpResponse<Buffer> other = orders.place(token, key, body("SKU-A", 2, "SKU-B", 1));
    HttpResponse<Buffer> reordered = orders.place(token, key,
        Buffer.buffer("{ \"items\": [ {\"quantity\": 1, \"sku\": \"SKU-B\"}, {\"sku\": \"SKU-A\", \"quantity\": 1} ] }"));

    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(other.bodyAsJsonObject().getString("detail")).contains("Idempotency-Key");
    assertThat(reordered.statusCode()).isEqualTo(202);
    assertThat(reordered.bodyAsString()).isEqualTo(first.bodyAsString());
    assertThat(ordersOf(user)).isEqualTo(1);
  }

  @Test
  @DisplayName("another customer using the same key gets an order of their own")
  void keysOfDifferentUsersNeverCollide() {
    String alice = newUser();
    String bob = newUser();
    String key = "shared-key-" + UUID.randomUUID();

    HttpResponse<Buffer> a = orders.place(orders.token(alice), key, body("SKU-A", 1));
    HttpResponse<Buffer> b = orders.place(orders.token(bob), key, body("SKU-A", 1));

    assertThat(a.statusCode()).isEqualTo(202);
    assertThat(b.statusCode()).isEqualTo(202);
    assertThat(b.bodyAsJsonObject().getString("id")).isNotEqualTo(a.bodyAsJsonObject().getString("id"));
    assertThat(ordersOf(alice)).isEqualTo(1);
    assertThat(ordersOf(bob)).isEqualTo(1);
  }

  @Test
  @DisplayName("without an Idempotency-Key, or with a malformed one, the order is refused with 400 and nothing is written")
  void keyRequired() {
    String user = newUser();
    String token = orders.token(user);

    HttpResponse<Buffer> missing = orders.place(token, null, body("SKU-A", 1));
    HttpResponse<Buffer> malformed = orders.place(token, "not a key!", body("SKU-A", 1));
    HttpResponse<Buffer> tooLong = orders.place(token, "k".repeat(129), body("SKU-A", 1));

    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsJsonObject().getString("detail")).contains("Idempotency-Key");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(ordersOf(user)).isZero();
  }

  @Test
  @DisplayName("invalid bodies are 400 problems naming the field, and write nothing (not even the key)")
  void validation() {
    String user = newUser();
    String token = orders.token(user);
    String key = UUID.randomUUID().toString();
    JsonObject fiftyOne = body();
    for (int i = 0; i < 51; i++) {
      fiftyOne.getJsonArray("items").add(new JsonObject().put("sku", "SKU-" + i).put("quantity", 1));
    }
    List<Object[]> cases = List.of(
        new Object[] {body(), "items"},
        new Object[] {fiftyOne, "items"},
        new Object[] {body("SKU-A", 0), "items[0].quantity"},
        new Object[] {body("SKU-A", 1001), "items[0].quantity"},
        new Object[] {body("SKU-A", 1, "SKU-A", 2), "items[1].sku"},
        new Object[] {body("lower-case", 1), "items[0].sku"},
        new Object[] {body("SKU-A", 1).put("userId", "someone-else"), "userId"},
        new Object[] {new JsonObject().put("items", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("sku", "SKU-A").put("quantity", 1).put("unitPriceCents", 1))), "unitPriceCents"},
        new Object[] {new JsonObject().put("items", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("sku", "SKU-A").put("quantity", "1"))), "quantity"});

    for (Object[] c : cases) {
      HttpResponse<Buffer> response = orders.place(token, key, (JsonObject) c[0]);
      assertThat(response.statusCode()).as("%s -> %s", c[0], response.bodyAsString()).isEqualTo(400);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.bodyAsString()).as("%s", c[0]).contains((String) c[1]);
    }
    assertThat(orders.place(token, key, Buffer.buffer("{\"items\": [")).statusCode()).isEqualTo(400);
    assertThat(ordersOf(user)).isZero();
    assertThat(orders.count("SELECT count(*) FROM idempotency_keys WHERE user_id = $1", user)).isZero();
    assertThat(orders.place(token, key, body("SKU-A", 1)).statusCode()).as("the key is still free").isEqualTo(202);
  }

  @Test
  @DisplayName("every order route needs a valid bearer token: 401 without one")
  void unauthenticated() {
    String id = UUID.randomUUID().toString();

    assertThat(orders.place(null, UUID.randomUUID().toString(), body("SKU-A", 1)).statusCode()).isEqualTo(401);
    assertThat(orders.send(HttpMethod.GET, "/api/orders", null).statusCode()).isEqualTo(401);
    assertThat(orders.send(HttpMethod.GET, "/api/orders/" + id, null).statusCode()).isEqualTo(401);
    assertThat(orders.send(HttpMethod.POST, "/api/orders/" + id + "/cancel", null).statusCode()).isEqualTo(401);
    assertThat(orders.send(HttpMethod.GET, "/api/orders", "not.a.token").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a forgotten key (past its retention) is purged by the housekeeping job")
  void keysArePurged() {
    String user = newUser();
    String token = orders.token(user);
    orders.place(token, "old-key", body("SKU-A", 1));
    orders.rows("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1", user);

    org.awaitility.Awaitility.await().atMost(OrdersFixture.DEADLINE).until(() ->
        orders.count("SELECT count(*) FROM idempotency_keys WHERE user_id = $1", user) == 0);
    assertThat(ordersOf(user)).as("the order itself stays").isEqualTo(1);
  }
}
