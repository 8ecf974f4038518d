package io.shopmesh.orders.http;

import io.shopmesh.orders.domain.RequestedItem;

import java.util.List;

/** The request bodies of the orders API, decoded strictly (an unknown field such as {@code price} is a 400). */
final class Requests {

  private Requests() {
  }

  record PlaceOrder(List<RequestedItem> items) {
  }
}
