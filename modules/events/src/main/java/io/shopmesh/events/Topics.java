package io.shopmesh.events;

/** One topic per bounded context, keyed by aggregate id; {@code <topic>.dlq} holds its dead letters. */
public final class Topics {

  public static final String USERS = "users.events";
  public static final String ORDERS = "orders.events";
  public static final String INVENTORY = "inventory.events";

  private Topics() {
  }

  public static String deadLetters(String topic) {
    return topic + ".dlq";
  }
}
