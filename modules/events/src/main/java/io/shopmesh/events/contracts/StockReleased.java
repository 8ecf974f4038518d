package io.shopmesh.events.contracts;

import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.EventType;
import io.shopmesh.events.Topics;

import java.util.List;

/** The reservation of a cancelled or expired order went back to available stock. */
@EventType(name = "StockReleased", version = 1, topic = Topics.INVENTORY)
public record StockReleased(String orderId, List<OrderLine> lines) implements DomainEvent {

  @Override
  public String aggregateId() {
    return orderId;
  }
}
