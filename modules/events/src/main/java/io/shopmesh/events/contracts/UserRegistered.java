package io.shopmesh.events.contracts;

import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.EventType;
import io.shopmesh.events.Topics;

import java.time.Instant;

/** A customer account was created. */
@EventType(name = "UserRegistered", version = 1, topic = Topics.USERS)
public record UserRegistered(String userId, String email, String name, Instant registeredAt) implements DomainEvent {

  @Override
  public String aggregateId() {
    return userId;
  }
}
