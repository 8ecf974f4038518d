package io.shopmesh.events.contracts;

import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.EventType;
import io.shopmesh.events.Topics;

import java.util.List;

/** Inventory could not serve the order; it is REJECTED with a reason per line. */
@EventType(name = "OrderRejected", version = 1, topic = Topics.ORDERS)
public record OrderRejected(String orderId, String userId, List<LineRejection> reasons) implements DomainEvent {

  @Override
  public String aggregateId() {
    return orderId;
  }
}
