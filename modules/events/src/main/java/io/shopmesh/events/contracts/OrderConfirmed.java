package io.shopmesh.events.contracts;

import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.EventType;
import io.shopmesh.events.Topics;

import java.util.List;

/** Stock was reserved for every line; the order is CONFIRMED at this total. */
@EventType(name = "OrderConfirmed", version = 1, topic = Topics.ORDERS)
public record OrderConfirmed(String orderId, String userId, List<PricedLine> lines, long totalCents, String currency)
    implements DomainEvent {

  @Override
  public String aggregateId() {
    return orderId;
  }
}
