package io.shopmesh.orders.http;

import io.shopmesh.orders.domain.Order;
import io.shopmesh.orders.domain.OrderItem;
import io.shopmesh.orders.domain.OrderPage;
import io.shopmesh.orders.domain.OrderStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** How orders look on the wire. Absent facts (no price yet, no rejection) are left out, not null. */
final class OrderJson {

  private OrderJson() {
  }

  /** The answer to the request that placed the order, identical on every replay of its key. */
  static JsonObject placed(Order order) {
    JsonArray items = new JsonArray();
    order.items().forEach(item -> items.add(new JsonObject().put("sku", item.sku()).put("quantity", item.quantity())));
    return new JsonObject()
        .put("id", order.id().toString())
        .put("status", OrderStatus.PENDING.name())
        .put("items", items)
        .put("createdAt", order.createdAt().toString());
  }

  static JsonObject of(Order order) {
    JsonArray items = new JsonArray();
    order.items().forEach(item -> items.add(item(item)));
    JsonObject json = new JsonObject()
        .put("id", order.id().toString())
        .put("status", order.status().name())
        .put("items", items);
    if (order.totalCents() != null) {
      json.put("totalCents", order.totalCents()).put("currency", order.currency());
    }
    if (!order.rejections().isEmpty()) {
      JsonArray reasons = new JsonArray();
      order.rejections().forEach(r -> reasons.add(new JsonObject().put("sku", r.sku()).put("reason", r.reason())
          .put("detail", r.detail())));
      json.put("rejectionReasons", reasons);
    }
    if (order.statusReason() != null) {
      json.put("statusReason", order.statusReason());
    }
    return json.put("createdAt", order.createdAt().toString()).put("updatedAt", order.updatedAt().toString());
  }

  static JsonObject of(OrderPage page) {
    JsonArray orders = new JsonArray();
    page.orders().forEach(order -> orders.add(of(order)));
    return new JsonObject().put("items", orders).put("nextCursor", page.next().map(c -> c.encode()).orElse(null));
  }

  private static JsonObject item(OrderItem item) {
    JsonObject json = new JsonObject().put("sku", item.sku()).put("quantity", item.quantity());
    if (item.unitPriceCents() != null) {
      json.put("unitPriceCents", item.unitPriceCents());
    }
    return json;
  }
}
