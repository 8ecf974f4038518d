package io.shopmesh.inventory;

import io.shopmesh.events.Envelope;
import io.shopmesh.events.contracts.OrderCancelled;
import io.shopmesh.events.contracts.OrderLine;
import io.shopmesh.events.contracts.OrderPlaced;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stock is never created or lost: whatever mix of orders, cancellations (before or after their
 * placement) and restocks arrives, and however often the order events are delivered again.
 */
@ExtendWith(InfraExtension.class)
class ConservationTest {

  private static final AtomicInteger SCENARIO = new AtomicInteger();
  private static InventoryFixture inventory;

  @BeforeAll
  static void start(TestEnv env) {
    inventory = InventoryFixture.start(env);
  }

  @AfterAll
  static void stop() {
    inventory.close();
  }

  /** A random mix of orders over a few products; every event of one order is published in order. */
  private record Scenario(List<String> skus, Map<String, Integer> initial, List<Envelope> events,
                          List<String> placed, List<String> cancelledAfter, List<String> cancelledBefore) {

    static Scenario create(Random random, int products, int orders) {
      String prefix = "CONS" + SCENARIO.incrementAndGet();
      List<String> skus = new ArrayList<>();
      Map<String, Integer> initial = new HashMap<>();
      for (int i = 0; i < products; i++) {
        String sku = prefix + "-" + (char) ('A' + i);
        int stock = 10 + random.nextInt(21);
        // one product in another currency: orders mixing it in are rejected
        inventory.create(sku, "Product " + sku, 100 + i, i == products - 1 ? "USD" : "EUR", stock);
        skus.add(sku);
        initial.put(sku, stock);
      }
      List<List<Envelope>> perOrder = new ArrayList<>();
      List<String> placed = new ArrayList<>();
      List<String> cancelledAfter = new ArrayList<>();
      List<String> cancelledBefore = new ArrayList<>();
      for (int i = 0; i < orders; i++) {
        String orderId = UUID.randomUUID().toString();
        List<OrderLine> lines = new ArrayList<>();
        for (int l = 0, n = 1 + random.nextInt(3); l < n; l++) {
          String sku = random.nextInt(20) == 0 ? prefix + "-UNKNOWN" : skus.get(random.nextInt(skus.size()));
          lines.add(new OrderLine(sku, 1 + random.nextInt(3)));
        }
        Envelope place = InventoryFixture.envelope(new OrderPlaced(orderId, "customer", lines, Instant.now()));
        Envelope cancel = InventoryFixture.envelope(new OrderCancelled(orderId, "customer", OrderCancelled.BY_CUSTOMER));
        int fate = random.nextInt(20);
        if (fate == 0) {
          perOrder.add(List.of(cancel, place));
          cancelledBefore.add(orderId);
        } else if (fate < 7) {
          perOrder.add(List.of(place, cancel));
          cancelledAfter.add(orderId);
          placed.add(orderId);
        } else {
          perOrder.add(List.of(place));
          placed.add(orderId);
        }
      }
      return new Scenario(skus, initial, interleave(perOrder, random), placed, cancelledAfter, cancelledBefore);
    }

    /** All events, orders interleaved at random, each order's own events still in order. */
    private static List<Envelope> interleave(List<List<Envelope>> perOrder, Random random) {
      List<Integer> slots = new ArrayList<>();
      for (int i = 0; i < perOrder.size(); i++) {
        for (int e = 0; e < perOrder.get(i).size(); e++) {
          slots.add(i);
        }
      }
      Collections.shuffle(slots, random);
      int[] next = new int[perOrder.size()];
      List<Envelope> out = new ArrayList<>();
      slots.forEach(i -> out.add(perOrder.get(i).get(next[i]++)));
      return out;
    }

    List<String> orderIds() {
      return events.stream().map(Envelope::aggregateId).distinct().toList();
    }

    /** Publishes half the events, restocks, publishes the rest while restocking again; returns units restocked. */
    int run(Random random) {
      int half = events.size() / 2;
      inventory.publish(events.subList(0, half));
      int restocked = restock(random, 5);
      inventory.publish(events.subList(half, events.size()));
      restocked += restock(random, 5);
      awaitApplied();
      return restocked;
    }

    private int restock(Random random, int times) {
      int total = 0;
      for (int i = 0; i < times; i++) {
        int quantity = 1 + random.nextInt(5);
        inventory.restock(skus.get(random.nextInt(skus.size())), quantity);
        total += quantity;
      }
      return total;
    }

    void awaitApplied() {
      String[] ids = events.stream().map(e -> e.id()).map(Object::toString).toArray(String[]::new);
      await().atMost(InventoryFixture.DEADLINE).until(() -> inventory.count(
          "SELECT count(*) FROM inbox WHERE consumer = 'inventory' AND event_id::text = ANY($1)", (Object) ids)
          == ids.length);
    }

    String[] skuArray() {
      return skus.toArray(String[]::new);
    }
  }

  private static long answers(String type, List<String> orderIds) {
    return inventory.count("SELECT count(*) FROM outbox WHERE type = $1 AND aggregate_id = ANY($2)", type,
        orderIds.toArray(String[]::new));
  }

  @Test
  @DisplayName("after a random mix of orders, cancellations and restocks, initial stock + restocks = available + "
      + "quantities held by live reservations")
  void conservation() {
    Random random = new Random(20261125);
    Scenario scenario = Scenario.create(random, 6, 200);
    int restocked = scenario.run(random);

    assertThat(inventory.query("SELECT sku FROM stock_balance WHERE sku = ANY($1) AND NOT balanced",
        (Object) scenario.skuArray())).as("products whose stock does not balance").isEmpty();
    long initial = scenario.initial().values().stream().mapToLong(Integer::longValue).sum();
    long available = inventory.count("SELECT sum(available) FROM products WHERE sku = ANY($1)",
        (Object) scenario.skuArray());
    long held = inventory.count("SELECT coalesce(sum(rl.quantity), 0) FROM reservation_lines rl "
        + "JOIN reservations r USING (order_id) WHERE r.status = 'RESERVED' AND rl.sku = ANY($1)",
        (Object) scenario.skuArray());
    System.out.printf("conservation: %d initial + %d restocked = %d available + %d held%n", initial, restocked,
        available, held);
    assertThat(available + held).isEqualTo(initial + restocked);

    Map<String, Long> outcomes = new HashMap<>();
    inventory.query("SELECT status, count(*) FROM reservations WHERE order_id = ANY($1) GROUP BY status",
        (Object) scenario.orderIds().toArray(String[]::new)).forEach(r -> outcomes.put(r.getString(0), r.getLong(1)));
    System.out.println("conservation: order outcomes " + outcomes);
    assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(scenario.orderIds().size());
    assertThat(outcomes).containsKeys("RESERVED", "REJECTED", "RELEASED", "CANCELLED");
    assertThat(answers("StockReserved", scenario.placed()) + answers("StockRejected", scenario.placed()))
        .as("every placed order is answered exactly once").isEqualTo(scenario.placed().size());
    assertThat(answers("StockReserved", scenario.cancelledBefore())
        + answers("StockRejected", scenario.cancelledBefore()))
        .as("an order cancelled before it was placed is never reserved").isZero();
    assertThat(outcomes.get("CANCELLED")).isEqualTo(scenario.cancelledBefore().size());
    assertThat(answers("StockReleased", scenario.cancelledAfter())).as("one release per cancelled reservation")
        .isEqualTo(outcomes.get("RELEASED"));
  }

  @Test
  @DisplayName("redelivering every OrderPlaced and OrderCancelled, replaying the topic from offset 0 in a new "
      + "consumer group, or re-sending them as new events changes no row")
  void redeliveryChangesNothing() {
    Random random = new Random(7);
    Scenario scenario = Scenario.create(random, 4, 60);
    scenario.run(random);
    inventory.awaitConsumed(InventoryMain.CONSUMER);
    String before = snapshot();
    long inboxBefore = inventory.count("SELECT count(*) FROM inbox");

    inventory.publish(scenario.events());
    inventory.awaitConsumed(InventoryMain.CONSUMER);
    assertThat(snapshot()).as("after the same events again").isEqualTo(before);
    assertThat(inventory.count("SELECT count(*) FROM inbox")).isEqualTo(inboxBefore);

    try (RunningService replay = inventory.startAnother(new JsonObject()
        .put("consumer", new JsonObject().put("group", "inventory-replay")))) {
      inventory.awaitConsumed("inventory-replay");
      assertThat(replay.port()).isPositive();
    }
    assertThat(snapshot()).as("after a replay of the topic from offset 0").isEqualTo(before);

    List<Envelope> fresh = scenario.events().stream().map(e -> e.type().equals("OrderPlaced")
        ? InventoryFixture.envelope(e.payloadAs(OrderPlaced.class))
        : InventoryFixture.envelope(e.payloadAs(OrderCancelled.class))).toList();
    inventory.publish(fresh);
    new Scenario(scenario.skus(), scenario.initial(), fresh, List.of(), List.of(), List.of()).awaitApplied();
    assertThat(snapshot()).as("after the same orders as new events").isEqualTo(before);
  }

  /** Everything inventory decided and published, as one comparable string (publication marks aside). */
  private static String snapshot() {
    return String.join("\n",
        table("SELECT sku, name, price_cents, currency, available, updated_at FROM products ORDER BY sku"),
        table("SELECT order_id, status, currency, updated_at FROM reservations ORDER BY order_id"),
        table("SELECT order_id, sku, quantity, unit_price_cents FROM reservation_lines ORDER BY order_id, sku"),
        table("SELECT id, sku, kind, delta, reference FROM stock_ledger ORDER BY id"),
        table("SELECT id, type, aggregate_id FROM outbox ORDER BY seq"));
  }

  private static String table(String sql) {
    return inventory.count("SELECT count(*) FROM (" + sql + ") t") + " rows, md5 "
        + inventory.query("SELECT md5(coalesce(string_agg(t::text, '|'), '')) FROM (" + sql + ") t").get(0)
        .getString(0);
  }
}
