package io.shopmesh.orders.domain;

import java.util.Locale;

/** Where an order stands in the saga. Terminal states never change again. */
public enum OrderStatus {
  PENDING,
  CONFIRMED,
  REJECTED,
  CANCELLED,
  EXPIRED;

  public boolean isTerminal() {
    return this == REJECTED || this == CANCELLED || this == EXPIRED;
  }

  /** The status named {@code text} (any case); throws {@link IllegalArgumentException} for anything else. */
  public static OrderStatus parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
