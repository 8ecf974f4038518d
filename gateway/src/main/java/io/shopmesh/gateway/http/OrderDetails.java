package io.shopmesh.gateway.http;

import io.shopmesh.gateway.upstream.Upstream;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.http.RequestId;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/orders/{id}/details}: the order plus each line's current product name, read
 * from inventory in one request through its breaker. The order is what matters: when inventory cannot
 * answer, it still comes back, marked {@code "degraded": ["products"]}.
 */
final class OrderDetails {

  private final Upstream orders;
  private final Upstream inventory;

  OrderDetails(Upstream orders, Upstream inventory) {
    this.orders = orders;
    this.inventory = inventory;
  }

  void handle(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", ctx.request().getHeader("Authorization"))
        .add(RequestId.HEADER, RequestId.of(ctx))
        .add("Accept", "application/json");
    ctx.put(AccessLog.UPSTREAM, "orders+inventory");
    orders.send(HttpMethod.GET, "/api/orders/" + encode(id), headers)
        .compose(answer -> {
          if (answer.status() != 200) {
            // the order service's own answer (404, 401...) is the right answer here too
            String type = answer.headers().get("Content-Type");
            return ctx.response().setStatusCode(answer.status()).putHeader("Content-Type",
                type != null ? type : "application/octet-stream").end(answer.body());
          }
          // thrown here (a body that is not an order), the failure ends in a 502 below instead of no answer
          JsonObject order = answer.body().toJsonObject();
          return withProductNames(order, headers).transform(done -> ctx.json(order));
        })
        .onFailure(e -> {
          if (!ctx.response().headWritten()) {
            ctx.fail(e instanceof ProblemException ? e
                : new ProblemException(502, "Bad Gateway", "the orders service did not send a valid order"));
          }
        });
  }

  /**
   * One inventory read for all the order's products ({@code GET /api/products?sku=..&sku=..}). A sku
   * its answer lacks (a product deleted since, or an inventory from before that read, during a rolling
   * upgrade) is read on its own, as it used to be for every line.
   */
  private Future<Void> withProductNames(JsonObject order, MultiMap headers) {
    JsonArray items = order.getJsonArray("items", new JsonArray());
    Set<String> skus = new LinkedHashSet<>();
    for (Object item : items) {
      skus.add(((JsonObject) item).getString("sku"));
    }
    skus.remove(null);
    if (skus.isEmpty()) {
      return Future.succeededFuture();
    }
    String query = skus.stream().map(sku -> "sku=" + encode(sku)).collect(Collectors.joining("&"));
    Map<String, String> names = new HashMap<>();
    Map<String, Future<Upstream.Answer>> single = new HashMap<>();
    Future<Void> read = inventory.send(HttpMethod.GET, "/api/products?" + query, headers).compose(answer -> {
      if (answer.status() != 200) {
        return Future.failedFuture("inventory answered " + answer.status());
      }
      for (Object product : answer.body().toJsonObject().getJsonArray("items", new JsonArray())) {
        JsonObject p = (JsonObject) product;
        if (skus.contains(p.getString("sku"))) {
          names.put(p.getString("sku"), p.getString("name"));
        }
      }
      for (String sku : skus) {
        if (!names.containsKey(sku)) {
          single.put(sku, inventory.send(HttpMethod.GET, "/api/products/" + encode(sku), headers));
        }
      }
      return Future.join(List.copyOf(single.values())).transform(all -> Future.succeededFuture());
    });
    return read.transform(ar -> {
      boolean degraded = ar.failed();
      if (ar.succeeded()) {
        for (Object item : items) {
          JsonObject line = (JsonObject) item;
          String sku = line.getString("sku");
          Future<Upstream.Answer> product = single.get(sku);
          if (names.containsKey(sku)) {
            line.put("name", names.get(sku));
          } else if (product != null && product.succeeded() && product.result().status() == 200) {
            line.put("name", product.result().body().toJsonObject().getString("name"));
          } else if (product != null && product.succeeded() && product.result().status() == 404) {
            line.putNull("name");
          } else {
            degraded = true;
          }
        }
      }
      if (degraded) {
        order.put("degraded", new JsonArray().add("products"));
      }
      return Future.succeededFuture();
    });
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
