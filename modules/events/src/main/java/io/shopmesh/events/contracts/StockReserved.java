package io.shopmesh.events.contracts;

import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.EventType;
import io.shopmesh.events.Topics;

import java.util.List;

/** Every line of the order is held for it, at these unit prices. */
@EventType(name = "StockReserved", version = 1, topic = Topics.INVENTORY)
public record StockReserved(String orderId, List<PricedLine> lines) implements DomainEvent {

  @Override
  public String aggregateId() {
    return orderId;
  }
}
