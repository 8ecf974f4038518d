package io.shopmesh.events.contracts;

import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.EventType;
import io.shopmesh.events.Topics;

/** A catalog entry was created or changed (name, description, price or availability). */
@EventType(name = "ProductUpserted", version = 1, topic = Topics.INVENTORY)
public record ProductUpserted(String sku, String name, String description, long priceCents, String currency,
                              int available) implements DomainEvent {

  @Override
  public String aggregateId() {
    return sku;
  }
}
