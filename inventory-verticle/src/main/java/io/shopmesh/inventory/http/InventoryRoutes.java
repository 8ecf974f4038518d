package io.shopmesh.inventory.http;

import io.shopmesh.events.Events;
import io.shopmesh.inventory.catalog.Catalog;
import io.shopmesh.inventory.store.ImportJobRepository;
import io.shopmesh.inventory.store.ProductRepository;
import io.shopmesh.inventory.work.ImportRunner;
import io.shopmesh.inventory.work.ImportSlots;
import io.shopmesh.platform.auth.BearerAuth;
import io.shopmesh.platform.auth.Identity;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.http.ServiceRouter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The inventory API. Reads are public; every write verifies the bearer token itself against the
 * users service's keys (zero trust: identity headers are never read) and requires the admin role.
 */
public final class InventoryRoutes {

  public static final String IMPORT_PATH = "/api/products/import";

  private final ProductHandlers products;
  private final ImportHandlers imports;
  private final TokenVerifier verifier;
  private final KafkaConfig kafka;
  private final long maxImportBytes;

  public InventoryRoutes(Catalog catalog, ProductRepository products, ImportJobRepository jobs, ImportRunner runner,
                         ImportSlots slots, TokenVerifier verifier, KafkaConfig kafka, long maxImportBytes,
                         int maxErrors) {
    this.products = new ProductHandlers(catalog, products);
    this.imports = new ImportHandlers(jobs, runner, slots, maxErrors);
    this.verifier = verifier;
    this.kafka = kafka;
    this.maxImportBytes = maxImportBytes;
  }

  public Router build(ServiceRouter router, Vertx vertx) {
    Handler<RoutingContext> authenticated = BearerAuth.required(verifier);
    Handler<RoutingContext> admin = BearerAuth.role(Identity.ADMIN);
    // an upload is authorised, and given a place among the running imports, before its (up to 50 MB) body is read
    return router.beforeBody(HttpMethod.POST, IMPORT_PATH, authenticated).beforeBody(HttpMethod.POST, IMPORT_PATH, admin)
        .beforeBody(HttpMethod.POST, IMPORT_PATH, imports::reserveSlot)
        .bodyLimit(IMPORT_PATH, maxImportBytes).routes(r -> {
      r.get("/api/products").respond(products::list);
      r.post("/api/products").handler(authenticated).handler(admin).respond(products::create);
      r.post(IMPORT_PATH).respond(imports::start);
      r.get("/api/products/:sku").respond(products::get);
      r.put("/api/products/:sku").handler(authenticated).handler(admin).respond(products::update);
      r.post("/api/products/:sku/restock").handler(authenticated).handler(admin).respond(products::restock);
      r.get("/api/imports/:id").handler(authenticated).handler(admin).respond(imports::status);
      Events.mountAdmin(r, verifier, vertx, kafka);
    }).build();
  }
}
