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
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** {@code /api/products}: public reads, admin writes. */
final class ProductHandlers {

  private final Catalog catalog;
  private final ProductRepository products;

  ProductHandlers(Catalog catalog, ProductRepository products) {
    this.catalog = catalog;
    this.products = products;
  }

  /** {@code ?q=} text in name or description, {@code ?cursor=} a previous {@code nextCursor}, {@code ?limit=}. */
  Future<JsonObject> list(RoutingContext ctx) {
    ProductQuery query = ProductQuery.of(single(ctx, "q"), single(ctx, "cursor"), single(ctx, "limit"));
    return products.page(query).map(ProductJson::of);
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
