package io.shopmesh.events.contracts;

import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.EventType;
import io.shopmesh.events.Topics;

import java.util.List;

/** Nothing was reserved for the order; each listed line says why. */
@EventType(name = "StockRejected", version = 1, topic = Topics.INVENTORY)
public record StockRejected(String orderId, List<LineRejection> reasons) implements DomainEvent {

  @Override
  public String aggregateId() {
    return orderId;
  }
}
