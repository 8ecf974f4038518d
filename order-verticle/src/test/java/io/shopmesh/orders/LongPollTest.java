package io.shopmesh.orders;

import io.shopmesh.events.contracts.PricedLine;
import io.shopmesh.events.contracts.StockReserved;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static io.shopmesh.orders.OrdersFixture.DEADLINE;
import static io.shopmesh.orders.OrdersFixture.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/orders/{id}?waitFor=...}: held until the state changes, woken by the change
 * itself. Timings are measured and compared with the timeout, never slept.
 */
@ExtendWith(InfraExtension.class)
class LongPollTest {

  private static final Logger LOG = LoggerFactory.getLogger(LongPollTest.class);
  private static final String WAITING = "shopmesh_orders_long_polls";
  private static final int MAX_WAITERS = 3;
  private static OrdersFixture orders;

  @BeforeAll
  static void start(TestEnv env) {
    orders = OrdersFixture.start(env, new JsonObject().put("orders", new JsonObject()
        .put("longPollMax", "20s").put("maxWaiters", MAX_WAITERS)));
  }

  @AfterAll
  static void stop() {
    orders.close();
  }

  private Future<HttpResponse<Buffer>> poll(String token, String id, String query) {
    return orders.request(HttpMethod.GET, "/api/orders/" + id + "?" + query, token).send();
  }

  /** Waits until {@code n} requests are held by the service (so what follows happens while they wait). */
  private void awaitWaiting(double n) {
    await().atMost(DEADLINE).until(() -> orders.metric(WAITING, "service=\"orders\"") == n);
  }

  private static long millisSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }

  @Test
  @DisplayName("a long poll returns as soon as the order is confirmed, long before its timeout, with the new state")
  void returnsOnChange() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 2);
    Future<HttpResponse<Buffer>> held = poll(token, id, "waitFor=CONFIRMED,REJECTED&timeout=20s");
    awaitWaiting(1);
    assertThat(held.isComplete()).as("still held while the order is PENDING").isFalse();

    long changed = System.nanoTime();
    orders.publish(new StockReserved(id, List.of(new PricedLine("SKU-A", 2, 500, "EUR"))));
    HttpResponse<Buffer> response = held.await();
    long waited = millisSince(changed);
    LOG.info("long poll answered {} ms after the reservation was published (timeout 20 s)", waited);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("CONFIRMED");
    assertThat(response.bodyAsJsonObject().getLong("totalCents")).isEqualTo(1000);
    assertThat(waited).as("answered %d ms after the change, timeout 20000 ms", waited).isLessThan(5_000);
    awaitWaiting(0);
  }

  @Test
  @DisplayName("a change committed by another instance wakes a long poll held by this one")
  void wokenByAnotherInstance() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 1);
    try (RunningService other = orders.startAnother()) {
      Future<HttpResponse<Buffer>> held = poll(token, id, "waitFor=CANCELLED&timeout=20s");
      awaitWaiting(1);

      long changed = System.nanoTime();
      HttpResponse<Buffer> cancelled = orders.request(other, HttpMethod.POST, "/api/orders/" + id + "/cancel", token)
          .send().await();
      HttpResponse<Buffer> response = held.await();
      long waited = millisSince(changed);
      LOG.info("long poll answered {} ms after another instance cancelled the order (timeout 20 s)", waited);

      assertThat(cancelled.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("CANCELLED");
      assertThat(waited).as("answered %d ms after the change, timeout 20000 ms", waited).isLessThan(5_000);
    }
  }

  @Test
  @DisplayName("without a change the long poll answers at its timeout with the current state")
  void answersAtTimeout() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 1);

    long start = System.nanoTime();
    HttpResponse<Buffer> response = poll(token, id, "waitFor=CONFIRMED&timeout=1500ms").await();
    long waited = millisSince(start);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("PENDING");
    assertThat(waited).isBetween(1_400L, 10_000L);
  }

  @Test
  @DisplayName("an order already in a wanted state, or in a terminal one, is answered at once")
  void alreadyThere() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 1);
    orders.send(HttpMethod.POST, "/api/orders/" + id + "/cancel", token);

    long start = System.nanoTime();
    HttpResponse<Buffer> wanted = poll(token, id, "waitFor=CANCELLED&timeout=20s").await();
    HttpResponse<Buffer> terminal = poll(token, id, "waitFor=CONFIRMED&timeout=20s").await();
    long waited = millisSince(start);

    assertThat(wanted.bodyAsJsonObject().getString("status")).isEqualTo("CANCELLED");
    assertThat(terminal.bodyAsJsonObject().getString("status")).isEqualTo("CANCELLED");
    assertThat(waited).as("both answered in %d ms", waited).isLessThan(5_000);
  }

  @Test
  @DisplayName("beyond the cap on waiting requests a long poll is answered at once with the current state")
  void capped() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 1);
    List<Future<HttpResponse<Buffer>>> held = List.of(poll(token, id, "waitFor=CONFIRMED&timeout=20s"),
        poll(token, id, "waitFor=CONFIRMED&timeout=20s"), poll(token, id, "waitFor=CONFIRMED&timeout=20s"));
    awaitWaiting(MAX_WAITERS);

    long start = System.nanoTime();
    HttpResponse<Buffer> overflow = poll(token, id, "waitFor=CONFIRMED&timeout=20s").await();
    long waited = millisSince(start);
    orders.send(HttpMethod.POST, "/api/orders/" + id + "/cancel", token);
    Future.all(held).await();

    assertThat(overflow.bodyAsJsonObject().getString("status")).isEqualTo("PENDING");
    assertThat(waited).as("answered in %d ms", waited).isLessThan(5_000);
    assertThat(held).allSatisfy(f -> assertThat(f.result().bodyAsJsonObject().getString("status"))
        .isEqualTo("CANCELLED"));
    awaitWaiting(0);
  }

  @Test
  @DisplayName("a long poll whose client goes away gives its place back at once, not at its timeout")
  void clientGoesAway() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 1);
    Future<HttpResponse<Buffer>> abandoned = orders.request(HttpMethod.GET, "/api/orders/" + id
        + "?waitFor=CONFIRMED&timeout=20s", token).timeout(1_000).send();
    awaitWaiting(1);

    assertThatThrownBy(abandoned::await).as("the client gave up after 1 s");
    await().atMost(Duration.ofSeconds(8)).until(() -> orders.metric(WAITING, "service=\"orders\"") == 0);
  }

  @Test
  @DisplayName("unknown states in waitFor and malformed timeouts are 400s")
  void parameters() {
    String token = orders.token(newUser());
    String id = orders.placed(token, "SKU-A", 1);

    for (String bad : List.of("waitFor=SHIPPED", "waitFor=CONFIRMED&timeout=soon", "waitFor=CONFIRMED&timeout=-1s",
        "waitFor=CONFIRMED&timeout=1h")) {
      assertThat(poll(token, id, bad).await().statusCode()).as(bad).isEqualTo(400);
    }
  }
}
