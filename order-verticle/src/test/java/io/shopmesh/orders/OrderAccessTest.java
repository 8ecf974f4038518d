package io.shopmesh.orders;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static io.shopmesh.orders.OrdersFixture.newUser;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(InfraExtension.class)
class OrderAccessTest {

  private static OrdersFixture orders;

  @BeforeAll
  static void start(TestEnv env) {
    orders = OrdersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    orders.close();
  }

  @Test
  @DisplayName("customer B gets 404 for customer A's order on every order route, exactly as for an order that does not exist")
  void otherCustomersOrdersDoNotExist() {
    String alice = orders.token(newUser());
    String bob = orders.token(newUser());
    String id = orders.placed(alice, "SKU-A", 1);
    String missing = UUID.randomUUID().toString();

    for (String order : List.of(id, missing)) {
      HttpResponse<Buffer> read = orders.send(HttpMethod.GET, "/api/orders/" + order, bob);
      HttpResponse<Buffer> poll = orders.send(HttpMethod.GET, "/api/orders/" + order + "?waitFor=CONFIRMED&timeout=1s",
          bob);
      HttpResponse<Buffer> cancel = orders.send(HttpMethod.POST, "/api/orders/" + order + "/cancel", bob);
      assertThat(List.of(read.statusCode(), poll.statusCode(), cancel.statusCode())).as(order).containsOnly(404);
      assertThat(read.bodyAsJsonObject().getString("detail")).isEqualTo("no order " + order);
    }
    assertThat(orders.order(alice, id).getString("status")).as("B's cancel changed nothing").isEqualTo("PENDING");
    assertThat(orders.outboxTypes(id)).containsExactly("OrderPlaced");
    assertThat(orders.send(HttpMethod.GET, "/api/orders/not-a-uuid", bob).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("an admin may read any order but not cancel someone else's")
  void adminReads() {
    String alice = orders.token(newUser());
    String id = orders.placed(alice, "SKU-A", 1);
    String admin = orders.adminToken();

    assertThat(orders.order(admin, id).getString("id")).isEqualTo(id);
    assertThat(orders.send(HttpMethod.POST, "/api/orders/" + id + "/cancel", admin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("the list shows only the caller's own orders, newest first, page by page without repeats or gaps")
  void listOwnOrdersPaged() {
    String alice = orders.token(newUser());
    String bob = orders.token(newUser());
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      placed.add(orders.placed(alice, "SKU-" + i, 1));
    }
    orders.placed(bob, "SKU-B", 1);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String path = "/api/orders?limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
      JsonObject page = orders.send(HttpMethod.GET, path, alice).bodyAsJsonObject();
      page.getJsonArray("items").forEach(o -> seen.add(((JsonObject) o).getString("id")));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 10);

    Collections.reverse(placed);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).as("newest first").containsExactlyElementsOf(placed);
  }

  @Test
  @DisplayName("the list filters by status and rejects bad parameters with 400")
  void listFilters() {
    String token = orders.token(newUser());
    String kept = orders.placed(token, "SKU-A", 1);
    String cancelled = orders.placed(token, "SKU-B", 1);
    assertThat(orders.send(HttpMethod.POST, "/api/orders/" + cancelled + "/cancel", token).statusCode()).isEqualTo(200);

    JsonArray pending = orders.send(HttpMethod.GET, "/api/orders?status=PENDING", token).bodyAsJsonObject()
        .getJsonArray("items");
    JsonArray both = orders.send(HttpMethod.GET, "/api/orders?status=PENDING,CANCELLED", token).bodyAsJsonObject()
        .getJsonArray("items");

    assertThat(pending.stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly(kept);
    assertThat(both.size()).isEqualTo(2);
    for (String bad : List.of("status=SHIPPED", "limit=0", "limit=101", "limit=x", "cursor=garbage", "limit=1&limit=2")) {
      HttpResponse<Buffer> response = orders.send(HttpMethod.GET, "/api/orders?" + bad, token);
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }
  }
}
