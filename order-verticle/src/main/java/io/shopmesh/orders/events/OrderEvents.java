package io.shopmesh.orders.events;

import io.shopmesh.events.Outbox;
import io.shopmesh.events.contracts.LineRejection;
import io.shopmesh.events.contracts.OrderCancelled;
import io.shopmesh.events.contracts.OrderConfirmed;
import io.shopmesh.events.contracts.OrderLine;
import io.shopmesh.events.contracts.OrderPlaced;
import io.shopmesh.events.contracts.OrderRejected;
import io.shopmesh.events.contracts.PricedLine;
import io.shopmesh.orders.domain.Order;
import io.shopmesh.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.util.UUID;

/** What the orders service tells the mesh, appended to the outbox in the caller's transaction. */
public final class OrderEvents {

  private final Outbox outbox;

  public OrderEvents(KafkaConfig kafka) {
    this.outbox = new Outbox(kafka);
  }

  public Future<Void> placed(SqlClient tx, Order order) {
    return outbox.append(tx, new OrderPlaced(order.id().toString(), order.userId(),
        order.items().stream().map(item -> new OrderLine(item.sku(), item.quantity())).toList(),
        order.createdAt())).mapEmpty();
  }

  /** The event of an order's new state: confirmed, rejected or cancelled by its customer. */
  public Future<Void> transitioned(SqlClient tx, Order order) {
    return switch (order.status()) {
      case CONFIRMED -> outbox.append(tx, new OrderConfirmed(order.id().toString(), order.userId(),
          order.items().stream().map(item -> new PricedLine(item.sku(), item.quantity(), item.unitPriceCents(),
              order.currency())).toList(), order.totalCents(), order.currency())).mapEmpty();
      case REJECTED -> outbox.append(tx, new OrderRejected(order.id().toString(), order.userId(),
          order.rejections().stream().map(r -> new LineRejection(r.sku(), r.reason(), r.detail())).toList()))
          .mapEmpty();
      case CANCELLED -> outbox.append(tx, new OrderCancelled(order.id().toString(), order.userId(),
          OrderCancelled.BY_CUSTOMER)).mapEmpty();
      default -> Future.failedFuture(new IllegalArgumentException("no event announces " + order.status()));
    };
  }

  /** The deadline passed: inventory releases whatever it reserved for the order, if anything. */
  public Future<Void> expired(SqlClient tx, UUID orderId, String userId) {
    return outbox.append(tx, new OrderCancelled(orderId.toString(), userId, OrderCancelled.EXPIRED)).mapEmpty();
  }
}
