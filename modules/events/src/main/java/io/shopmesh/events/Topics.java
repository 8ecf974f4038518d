package io.shopmesh.events;

import java.util.List;

/** One topic per bounded context, keyed by aggregate id; {@code <topic>.dlq} holds its dead letters. */
public final class Topics {

  public static final String USERS = "users.events";
  public static final String ORDERS = "orders.events";
  public static final String INVENTORY = "inventory.events";

  /** Every event topic of the mesh (logical names, without a deployment prefix). */
  public static final List<String> ALL = List.of(USERS, ORDERS, INVENTORY);

  private Topics() {
  }

  public static String deadLetters(String topic) {
    return topic + ".dlq";
  }
}
