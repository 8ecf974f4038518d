package io.shopmesh.orders.domain;

import io.shopmesh.platform.paging.PageCursor;
import java.util.List;
import java.util.Optional;

/** One page of a customer's orders, newest first, and where the next page starts. */
public record OrderPage(List<Order> orders, Optional<PageCursor> next) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  public OrderPage {
    orders = List.copyOf(orders);
  }
}
