package io.shopmesh.events.contracts;

import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.EventType;
import io.shopmesh.events.Topics;

/**
 * The order will not be fulfilled: the customer cancelled it or it expired while PENDING.
 * Inventory releases its reservation, if it made one.
 *
 * @param reason {@code CANCELLED_BY_CUSTOMER} or {@code EXPIRED}
 */
@EventType(name = "OrderCancelled", version = 1, topic = Topics.ORDERS)
public record OrderCancelled(String orderId, String userId, String reason) implements DomainEvent {

  public static final String BY_CUSTOMER = "CANCELLED_BY_CUSTOMER";
  public static final String EXPIRED = "EXPIRED";

  @Override
  public String aggregateId() {
    return orderId;
  }
}
