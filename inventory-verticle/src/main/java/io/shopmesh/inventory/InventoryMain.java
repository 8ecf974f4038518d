package io.shopmesh.inventory;

import io.shopmesh.events.Events;
import io.shopmesh.events.Topics;
import io.shopmesh.inventory.catalog.Catalog;
import io.shopmesh.inventory.events.InventoryEvents;
import io.shopmesh.inventory.events.StockReservations;
import io.shopmesh.inventory.http.InventoryRoutes;
import io.shopmesh.inventory.store.ImportJobRepository;
import io.shopmesh.inventory.store.ProductRepository;
import io.shopmesh.inventory.store.ReservationRepository;
import io.shopmesh.inventory.store.StockLedger;
import io.shopmesh.inventory.work.ImportRunner;
import io.shopmesh.inventory.work.ImportSlots;
import io.shopmesh.platform.auth.JwksClient;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.ServiceRunner;
import io.shopmesh.platform.lifecycle.Shutdown;
import io.shopmesh.platform.work.WorkPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * The inventory service: catalog, stock and reservations. Migrates its database and the outbox,
 * starts the import workers, the outbox relay and the consumer of order events, reads the users
 * service's signing keys, then serves HTTP and announces itself.
 */
public final class InventoryMain {

  public static final String CONSUMER = "inventory";

  private InventoryMain() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("inventory", args, InventoryMain::start);
  }

  public static Future<?> start(ServiceContext service) {
    InventoryConfig config = InventoryConfig.from(service.settings());
    Vertx vertx = service.vertx();
    Pool pool = service.postgres(config.db());
    service.kafkaReadiness(config.kafka(), false);
    TokenVerifier verifier = new TokenVerifier(vertx, config.auth());
    JwksClient jwks = JwksClient.overHttp(vertx, verifier, config.auth());
    service.onShutdown(Shutdown.Phase.RESOURCES, "jwks", () -> {
      jwks.close();
      return Future.succeededFuture();
    });
    jwks.reportTo(service.readiness(), true);
    InventoryEvents events = new InventoryEvents(config.kafka());
    ProductRepository products = new ProductRepository(pool);
    StockLedger ledger = new StockLedger();
    ImportJobRepository jobs = new ImportJobRepository(pool, config.imports().staleAfter());
    Catalog catalog = new Catalog(pool, products, ledger, jobs, events);
    StockReservations reservations = new StockReservations(products, new ReservationRepository(), ledger, events);
    // the schema, the import workers and the users service's keys are independent: they start side by
    // side. A users service that is down must not keep inventory from starting: reads go on, writes get 401
    Future<Void> signingKeys = service.step("signing keys", jwks::start);
    Future<ImportRunner> imports = service.step("import workers", () -> WorkPool.deploy(service, "imports",
            config.imports().workPool())
        .compose(parsers -> ImportRunner.deploy(service, parsers, catalog, jobs, config.imports())));
    return Future.all(service.step("migrations", () -> Future.all(service.migrate(config.db(), pool),
            Events.migrate(vertx, config.db(), pool))), imports)
        .compose(ready -> {
          InventoryRoutes routes = new InventoryRoutes(catalog, products, jobs, imports.result(),
              new ImportSlots(config.imports().maxConcurrent(), config.imports().retryAfter()), verifier,
              config.kafka(), config.imports().maxBytes(), config.imports().maxErrors());
          return Future.all(
              service.step("outbox relay", () -> Events.relay(service, pool, config.db(), config.kafka())),
              service.step("event consumer", () -> Events.consume(service, pool, config.kafka(), CONSUMER,
                  List.of(Topics.ORDERS), reservations.router())),
              service.step("http server", () -> service.serveHttp(config.http(),
                  eventLoop -> routes.build(service.router(eventLoop, config.http()), eventLoop))));
        })
        .compose(started -> signingKeys)
        .compose(v -> service.step("discovery", () -> service.announce(config.discovery())));
  }
}
