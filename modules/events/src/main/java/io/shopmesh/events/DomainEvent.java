package io.shopmesh.events;

/**
 * A fact one bounded context tells the others, as a Java record annotated with {@link EventType}.
 * Its aggregate id becomes the Kafka key, so one aggregate's events stay in order.
 */
public interface DomainEvent {

  String aggregateId();
}
