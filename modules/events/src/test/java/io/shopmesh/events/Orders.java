package io.shopmesh.events;

import io.shopmesh.events.contracts.OrderCancelled;
import io.shopmesh.events.contracts.OrderConfirmed;
import io.shopmesh.events.contracts.OrderLine;
import io.shopmesh.events.contracts.OrderPlaced;
import io.shopmesh.events.contracts.PricedLine;

import java.time.Instant;
import java.util.List;

/** Sample order events for tests. */
public final class Orders {

  private Orders() {
  }

  public static OrderPlaced placed(String orderId) {
    return placed(orderId, "user-1");
  }

  public static OrderPlaced placed(String orderId, String userId) {
    return new OrderPlaced(orderId, userId, List.of(new OrderLine("SKU-1", 2), new OrderLine("SKU-2", 1)),
        Instant.now());
  }

  public static OrderConfirmed confirmed(String orderId, long totalCents) {
    return new OrderConfirmed(orderId, "user-1", List.of(new PricedLine("SKU-1", 2, totalCents / 2, "EUR")),
        totalCents, "EUR");
  }

  public static OrderCancelled cancelled(String orderId) {
    return new OrderCancelled(orderId, "user-1", OrderCancelled.BY_CUSTOMER);
  }
}
