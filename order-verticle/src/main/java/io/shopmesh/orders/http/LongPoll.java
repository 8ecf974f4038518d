package io.shopmesh.orders.http;

import io.shopmesh.orders.domain.Order;
import io.shopmesh.orders.domain.OrderStatus;
import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One {@code GET /api/orders/{id}?waitFor=...} request: it answers as soon as the order is in one
 * of the wanted states (or in a terminal one, which nothing changes again), or at the timeout with
 * the state of the moment. It re-reads the order only when the state feed says it changed. Every
 * callback runs on the request's context, so no state here is shared between threads.
 */
final class LongPoll {

  /** Nobody reads the answer any more; a problem (not an unexpected 500) so nothing is logged as an error. */
  private static final ProblemException CLIENT_GONE = new ProblemException(499, "Client Closed Request",
      "the client closed the connection before the order changed");

  private final Context context;
  private final Supplier<Future<Order>> read;
  private final Set<OrderStatus> wanted;
  private final StateWaiters waiters;
  private final Promise<Order> answer = Promise.promise();
  private StateWaiters.Waiter waiter;
  private long timer = -1;
  private boolean reading;
  private boolean readAgain;

  private LongPoll(Context context, Supplier<Future<Order>> read, Set<OrderStatus> wanted, StateWaiters waiters) {
    this.context = context;
    this.read = read;
    this.wanted = wanted;
    this.waiters = waiters;
  }

  /**
   * Waits on {@code context} (the request's) for the order {@code read} returns to reach a
   * {@code wanted} state, at most {@code timeout}. When no waiter slot is free it answers at once.
   */
  static Future<Order> await(Context context, StateWaiters waiters, UUID orderId, Supplier<Future<Order>> read,
                             Set<OrderStatus> wanted, Duration timeout, HttpServerResponse response) {
    LongPoll poll = new LongPoll(context, read, wanted, waiters);
    // registered before the first read, so a change committed in between still wakes us
    poll.waiter = waiters.register(orderId, context, poll::check);
    if (poll.waiter == null) {
      return read.get();
    }
    poll.timer = context.owner().setTimer(Math.max(1, timeout.toMillis()), t -> read.get().onComplete(poll::finish));
    response.closeHandler(v -> poll.finish(Future.failedFuture(CLIENT_GONE)));
    poll.check();
    return poll.answer.future();
  }

  private void check() {
    if (answer.future().isComplete()) {
      return;
    }
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    read.get().onComplete(ar -> {
      reading = false;
      if (ar.failed() || done(ar.result())) {
        finish(ar);
      } else if (readAgain) {
        readAgain = false;
        check();
      }
    });
  }

  private boolean done(Order order) {
    return wanted.contains(order.status()) || order.status().isTerminal() || waiters.draining();
  }

  private void finish(AsyncResult<Order> outcome) {
    if (answer.future().isComplete()) {
      return;
    }
    context.owner().cancelTimer(timer);
    waiter.close();
    answer.handle(outcome);
  }
}
