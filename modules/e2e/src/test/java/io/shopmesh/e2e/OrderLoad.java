package io.shopmesh.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A careful customer placing orders for one product at a steady pace through the gateway, for as
 * long as it runs. Each order has its own {@code Idempotency-Key}; a try that times out, is refused,
 * or is answered 5xx or 429 is a client-visible error and is retried with the same key and the same
 * body after a short backoff, until the order is answered or {@link #GIVE_UP} has passed. An
 * expired access token (401; they live 15 minutes) is renewed by logging in again and the try
 * repeated, which is not an error: a load may run longer than a token lives. Every third accepted
 * order is cancelled right away, so the saga's releases and tombstones are exercised as well.
 */
final class OrderLoad implements AutoCloseable {

  static final Duration TRY_TIMEOUT = Duration.ofSeconds(5);
  static final Duration GIVE_UP = Duration.ofSeconds(90);
  private static final int CANCEL_EVERY = 3;
  private static final int MAX_IN_FLIGHT = 200;
  private static final Logger LOG = LoggerFactory.getLogger(OrderLoad.class);

  /** One failed try as the client saw it. */
  record Failure(long atMillis, long tookMillis, String request, int status, String detail) {
  }

  /** One order the client wanted placed. */
  static final class Placement {
    final String key = UUID.randomUUID().toString();
    final int quantity = ThreadLocalRandom.current().nextInt(1, 4);
    final long startedAt = System.currentTimeMillis();
    final boolean cancel;
    final AtomicInteger failedTries = new AtomicInteger();
    volatile String orderId;
    volatile boolean gaveUp;

    Placement(boolean cancel) {
      this.cancel = cancel;
    }

    boolean answered() {
      return orderId != null;
    }
  }

  /** One try of a step (placing, cancelling); true while the placement goes on (a retry or a cancel is scheduled). */
  @FunctionalInterface
  private interface Step {
    boolean tryOnce(Placement placement, int attempt);
  }

  private final ShopClient customer;
  private final String sku;
  private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(24, task -> {
    Thread thread = new Thread(task, "order-load");
    thread.setDaemon(true);
    return thread;
  });
  private final Queue<Placement> placements = new ConcurrentLinkedQueue<>();
  private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
  private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  private final Object renewal = new Object();
  private volatile long tokenRenewedAt;
  private ScheduledFuture<?> ticker;

  OrderLoad(ShopClient customer, String sku) {
    this.customer = customer;
    this.sku = sku;
  }

  /** Starts placing {@code perSecond} orders a second (at most {@value #MAX_IN_FLIGHT} outstanding). */
  OrderLoad start(double perSecond) {
    ticker = pool.scheduleAtFixedRate(this::placeOne, 0, Math.round(1_000_000 / perSecond), TimeUnit.MICROSECONDS);
    return this;
  }

  /** Stops placing new orders and waits until every outstanding one is answered or given up. */
  void stop() {
    ticker.cancel(false);
    await().atMost(GIVE_UP.plusSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> inFlight.get() == 0);
  }

  /** Waits until {@code count} orders started at or after {@code since} were accepted. */
  void awaitAccepted(long since, int count, Duration timeout) {
    await("orders being accepted again").atMost(timeout).pollInterval(Duration.ofMillis(100))
        .until(() -> placements.stream().filter(p -> p.startedAt >= since && p.answered()).count() >= count);
  }

  /** Waits until the client saw {@code count} failed tries since {@code since} (the fault is felt), or fails. */
  void awaitFailures(long since, int count, Duration timeout) {
    await("the client to see " + count + " failed tries").atMost(timeout).pollInterval(Duration.ofMillis(100))
        .until(() -> failuresSince(since) >= count);
  }

  List<Placement> placements() {
    return new ArrayList<>(placements);
  }

  int placedSince(long since) {
    return (int) placements.stream().filter(p -> p.startedAt >= since).count();
  }

  int failuresSince(long since) {
    return (int) failures.stream().filter(f -> f.atMillis() >= since).count();
  }

  /** When the last failed try since {@code since} ended; 0 when there was none. */
  long lastFailureSince(long since) {
    return failures.stream().mapToLong(Failure::atMillis).filter(t -> t >= since).max().orElse(0);
  }

  List<Failure> failures() {
    return new ArrayList<>(failures);
  }

  List<Failure> failuresSinceList(long since) {
    return failures.stream().filter(f -> f.atMillis() >= since).toList();
  }

  /** Orders started since {@code since} that needed at least one retry. */
  int retriedSince(long since) {
    return (int) placements.stream().filter(p -> p.startedAt >= since && p.failedTries.get() > 0).count();
  }

  int unanswered() {
    return (int) placements.stream().filter(p -> p.gaveUp).count();
  }

  /** Answers no careful client expects (a 4xx other than 401/429, a 2xx without an order): each is a bug. */
  List<String> unexpected() {
    return new ArrayList<>(unexpected);
  }

  private void placeOne() {
    if (inFlight.get() >= MAX_IN_FLIGHT) {
      return;
    }
    Placement placement = new Placement(sequence.incrementAndGet() % CANCEL_EVERY == 0);
    placements.add(placement);
    inFlight.incrementAndGet();
    pool.execute(() -> run(placement, this::place, 1));
  }

  /** Runs one try of {@code step}; the placement leaves {@link #inFlight} when nothing more is scheduled for it. */
  private void run(Placement placement, Step step, int attempt) {
    boolean goesOn = false;
    try {
      goesOn = step.tryOnce(placement, attempt);
    } catch (RuntimeException | AssertionError e) {
      unexpected.add("order " + placement.key + ": " + e);
    } finally {
      if (!goesOn) {
        inFlight.decrementAndGet();
      }
    }
  }

  private boolean place(Placement placement, int attempt) {
    JsonObject body = new JsonObject().put("items", new JsonArray()
        .add(new JsonObject().put("sku", sku).put("quantity", placement.quantity)));
    long started = System.currentTimeMillis();
    ShopClient.Response response = customer.attempt("POST", "/api/orders", body, placement.key, TRY_TIMEOUT);
    if (response.status() == 202) {
      placement.orderId = response.json().getString("id");
      return placement.cancel && cancel(placement, 1);
    }
    return retryOrGiveUp(placement, response, started, attempt, this::place);
  }

  /** A cancel may find the order already rejected (409), or already cancelled by an earlier try (409). */
  private boolean cancel(Placement placement, int attempt) {
    long started = System.currentTimeMillis();
    ShopClient.Response response = customer.attempt("POST", "/api/orders/" + placement.orderId + "/cancel", null,
        null, TRY_TIMEOUT);
    if (response.status() == 200 || response.status() == 409) {
      return false;
    }
    return retryOrGiveUp(placement, response, started, attempt, this::cancel);
  }

  /**
   * Schedules the next try of {@code step} after a short backoff; true when it did. A 401 is an
   * expired access token: once the client has logged in again it is no error the client would show.
   */
  private boolean retryOrGiveUp(Placement placement, ShopClient.Response response, long started, int attempt,
                                Step step) {
    int status = response.status();
    boolean renewed = status == 401 && renewToken(started);
    if (!renewed) {
      if (!(status == 0 || status == 401 || status == 429 || status >= 500)) {
        unexpected.add(response.request() + " -> " + status + " " + response.body());
        return false;
      }
      long now = System.currentTimeMillis();
      failures.add(new Failure(now, now - started, response.request(), status, response.body()));
      placement.failedTries.incrementAndGet();
    }
    if (System.currentTimeMillis() - placement.startedAt > GIVE_UP.toMillis()) {
      placement.gaveUp = !placement.answered();
      return false;
    }
    long backoff = Math.min(1000, 100L << Math.min(attempt, 4)) + ThreadLocalRandom.current().nextLong(50);
    pool.schedule(() -> run(placement, step, attempt + 1), backoff, TimeUnit.MILLISECONDS);
    return true;
  }

  /**
   * Logs the customer in again, unless another try already did since {@code triedAt} (every try
   * under way when the token expires gets a 401); false when the login failed (users or the
   * gateway is down: the next try finds out again).
   */
  private boolean renewToken(long triedAt) {
    synchronized (renewal) {
      if (tokenRenewedAt >= triedAt) {
        return true;
      }
      try {
        customer.relogin();
        tokenRenewedAt = System.currentTimeMillis();
        return true;
      } catch (RuntimeException | AssertionError e) {
        LOG.warn("logging in again failed: {}", e.toString());
        return false;
      }
    }
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.cancel(false);
    }
    pool.shutdownNow();
  }
}
