package io.shopmesh.orders.domain;

/**
 * What a fact does to an order: it moves it to a new state, or it does not apply to the state the
 * order is in and is ignored (recorded by the caller, never retried).
 */
public sealed interface Transition permits Transition.Applied, Transition.Ignored {

  /** The order after the fact; {@code from} is the state it left. */
  record Applied(Order order, OrderStatus from) implements Transition {
  }

  /** The fact changes nothing, for the reason given. */
  record Ignored(String why) implements Transition {
  }
}
