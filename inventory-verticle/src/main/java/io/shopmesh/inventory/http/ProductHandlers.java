package io.shopmesh.inventory.http;

import io.shopmesh.inventory.catalog.Catalog;
import io.shopmesh.inventory.domain.ProductQuery;
import io.shopmesh.inventory.domain.ProductRules;
import io.shopmesh.inventory.store.ProductRepository;
import io.shopmesh.platform.auth.BearerAuth;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.http.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/** {@code /api/products}: public reads, admin writes. */
final class ProductHandlers {

  private final Catalog catalog;
  private final ProductRepository products;

  ProductHandlers(Catalog catalog, ProductRepository products) {
    this.catalog = catalog;
    this.products = products;
  }

  /**
   * How many {@code ?sku=} one request may give: as many as an order has lines at most. (100 skus of 64
   * characters would not fit the HTTP server's 4,096-byte request line.)
   */
  static final int MAX_SKUS = 50;

  /**
   * {@code ?q=} text in name or description, {@code ?cursor=} a previous {@code nextCursor}, {@code ?limit=}; or
   * {@code ?sku=A&sku=B...}: those products (the ones that exist, in sku order), in one read, e.g. for the
   * gateway's order details.
   */
  Future<JsonObject> list(RoutingContext ctx) {
    List<String> skus = ctx.queryParam("sku");
    if (!skus.isEmpty()) {
      return bySkus(ctx, skus);
    }
    ProductQuery query = ProductQuery.of(single(ctx, "q"), single(ctx, "cursor"), single(ctx, "limit"));
    return products.page(query).map(ProductJson::of);
  }

  private Future<JsonObject> bySkus(RoutingContext ctx, List<String> skus) {
    List<ProblemException.FieldError> errors = new ArrayList<>();
    for (String other : List.of("q", "cursor", "limit")) {
      if (!ctx.queryParam(other).isEmpty()) {
        errors.add(new ProblemException.FieldError(other, "cannot be combined with sku"));
      }
    }
    if (skus.size() > MAX_SKUS) {
      errors.add(new ProblemException.FieldError("sku", "at most " + MAX_SKUS + " skus, not " + skus.size()));
    }
    List<String> distinct = skus.stream().distinct().toList();
    distinct.stream().filter(sku -> !ProductRules.validSku(sku)).findFirst().ifPresent(sku -> errors.add(
        new ProblemException.FieldError("sku", "'" + sku + "' is not a sku (2 to 64 upper-case letters, digits"
            + " or '-')")));
    if (!errors.isEmpty()) {
      return Future.failedFuture(ProblemException.invalidFields(errors));
    }
    return products.bySkus(distinct).map(found -> new JsonObject()
        .put("items", new JsonArray(found.stream().map(ProductJson::of).toList()))
        .putNull("nextCursor"));
  }

  Future<JsonObject> get(RoutingContext ctx) {
    String sku = ctx.pathParam("sku");
    ProblemException notFound = ProblemException.notFound("no product with sku " + sku);
    if (!ProductRules.validSku(sku)) {
      return Future.failedFuture(notFound);
    }
    return products.bySku(sku).map(found -> ProductJson.of(found.orElseThrow(() -> notFound)));
  }

  Future<JsonObject> create(RoutingContext ctx) {
    Requests.NewProductBody body = StrictJson.body(ctx, Requests.NewProductBody.class);
    var product = ProductRules.newProduct(body.sku(), body.name(), body.description(), body.priceCents(),
        body.currency(), body.stock());
    return catalog.create(product, BearerAuth.identity(ctx).userId()).map(created -> {
      ctx.response().setStatusCode(201).putHeader(HttpHeaders.LOCATION, "/api/products/" + created.sku());
      return ProductJson.of(created);
    });
  }

  Future<JsonObject> update(RoutingContext ctx) {
    String sku = ctx.pathParam("sku");
    Requests.DetailsBody body = StrictJson.body(ctx, Requests.DetailsBody.class);
    var details = ProductRules.details(body.name(), body.description(), body.priceCents(), body.currency());
    if (!ProductRules.validSku(sku)) {
      return Future.failedFuture(ProblemException.notFound("no product with sku " + sku));
    }
    return catalog.update(sku, details).map(ProductJson::of);
  }

  Future<JsonObject> restock(RoutingContext ctx) {
    String sku = ctx.pathParam("sku");
    Requests.RestockBody body = StrictJson.body(ctx, Requests.RestockBody.class);
    int quantity = ProductRules.restockQuantity(body.quantity());
    if (!ProductRules.validSku(sku)) {
      return Future.failedFuture(ProblemException.notFound("no product with sku " + sku));
    }
    return catalog.restock(sku, quantity, BearerAuth.identity(ctx).userId()).map(ProductJson::of);
  }

  /** A query parameter given at most once (null when absent); 400 when repeated. */
  private static String single(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      throw ProblemException.invalidFields(List.of(new ProblemException.FieldError(name, "must be given once")));
    }
    return values.isEmpty() ? null : values.get(0);
  }
}
