package io.shopmesh.inventory.events;

import io.shopmesh.events.Outbox;
import io.shopmesh.events.contracts.LineRejection;
import io.shopmesh.events.contracts.OrderLine;
import io.shopmesh.events.contracts.PricedLine;
import io.shopmesh.events.contracts.ProductUpserted;
import io.shopmesh.events.contracts.StockRejected;
import io.shopmesh.events.contracts.StockReleased;
import io.shopmesh.events.contracts.StockReserved;
import io.shopmesh.inventory.domain.Product;
import io.shopmesh.inventory.domain.Rejection;
import io.shopmesh.inventory.domain.ReservedLine;
import io.shopmesh.inventory.domain.StockLine;
import io.shopmesh.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.util.List;

/** What the inventory service tells the others, appended to the outbox inside the business transaction. */
public final class InventoryEvents {

  private final Outbox outbox;

  public InventoryEvents(KafkaConfig kafka) {
    this.outbox = new Outbox(kafka);
  }

  public Future<Void> productUpserted(SqlClient tx, Product p) {
    return outbox.append(tx, upserted(p)).mapEmpty();
  }

  /** One {@code ProductUpserted} per product of an import batch, in one statement. */
  public Future<Void> productsUpserted(SqlClient tx, List<Product> products) {
    return outbox.appendAll(tx, products.stream().map(InventoryEvents::upserted).toList()).mapEmpty();
  }

  public Future<Void> stockReserved(SqlClient tx, String orderId, List<ReservedLine> lines) {
    return outbox.append(tx, new StockReserved(orderId, lines.stream()
        .map(l -> new PricedLine(l.sku(), l.quantity(), l.unitPriceCents(), l.currency())).toList())).mapEmpty();
  }

  public Future<Void> stockRejected(SqlClient tx, String orderId, List<Rejection> rejections) {
    return outbox.append(tx, new StockRejected(orderId, rejections.stream()
        .map(r -> new LineRejection(r.sku(), r.reason().name(), r.detail())).toList())).mapEmpty();
  }

  public Future<Void> stockReleased(SqlClient tx, String orderId, List<StockLine> lines) {
    return outbox.append(tx, new StockReleased(orderId, lines.stream()
        .map(l -> new OrderLine(l.sku(), l.quantity())).toList())).mapEmpty();
  }

  private static ProductUpserted upserted(Product p) {
    return new ProductUpserted(p.sku(), p.name(), p.description(), p.priceCents(), p.currency(), p.available());
  }
}
