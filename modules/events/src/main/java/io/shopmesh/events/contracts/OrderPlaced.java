package io.shopmesh.events.contracts;

import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.EventType;
import io.shopmesh.events.Topics;

import java.time.Instant;
import java.util.List;

/** A customer placed an order; it is PENDING until inventory answers. */
@EventType(name = "OrderPlaced", version = 1, topic = Topics.ORDERS)
public record OrderPlaced(String orderId, String userId, List<OrderLine> lines, Instant placedAt)
    implements DomainEvent {

  @Override
  public String aggregateId() {
    return orderId;
  }
}
