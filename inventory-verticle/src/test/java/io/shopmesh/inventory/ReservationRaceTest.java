package io.shopmesh.inventory;

import io.shopmesh.events.Envelope;
import io.shopmesh.events.contracts.OrderLine;
import io.shopmesh.events.contracts.OrderPlaced;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The last items of a product, fought over by orders arriving through the real orders topic. */
@ExtendWith(InfraExtension.class)
class ReservationRaceTest {

  private static InventoryFixture inventory;

  @BeforeAll
  static void start(TestEnv env) {
    inventory = InventoryFixture.start(env);
  }

  @AfterAll
  static void stop() {
    inventory.close();
  }

  @Test
  @DisplayName("50 concurrent orders for a product with 10 in stock: exactly 10 reserved, 40 rejected, available "
      + "ends at 0 and is never negative")
  void lastItemRace() {
    String sku = "LAST-ITEM";
    inventory.create(sku, "The last item", 2500, "EUR", 10);
    List<Envelope> orders = IntStream.range(0, 50)
        .mapToObj(i -> InventoryFixture.envelope(new OrderPlaced(UUID.randomUUID().toString(), "customer-" + i,
            List.of(new OrderLine(sku, 1)), Instant.now())))
        .toList();
    Set<String> orderIds = orders.stream().map(Envelope::aggregateId).collect(Collectors.toSet());

    List<Integer> observed = new ArrayList<>();
    inventory.publish(orders);
    await().atMost(InventoryFixture.DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
      observed.add(inventory.query("SELECT available FROM products WHERE sku = $1", sku).get(0).getInteger(0));
      return inventory.count("SELECT count(*) FROM reservations WHERE order_id = ANY($1)",
          (Object) orderIds.toArray(String[]::new)) == 50;
    });

    Map<String, Long> statuses = inventory.query("SELECT status, count(*) FROM reservations WHERE order_id = ANY($1) "
        + "GROUP BY status", (Object) orderIds.toArray(String[]::new)).stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of("RESERVED", 10L, "REJECTED", 40L));
    assertThat(inventory.query("SELECT available FROM products WHERE sku = $1", sku).get(0).getInteger(0))
        .isZero();
    assertThat(observed).as("availability seen while the orders were processed").allMatch(a -> a >= 0);
    assertThat(inventory.query("SELECT balanced, supplied, held FROM stock_balance WHERE sku = $1", sku).get(0))
        .satisfies(row -> {
          assertThat(row.getBoolean("balanced")).isTrue();
          assertThat(row.getLong("held")).isEqualTo(10);
        });

    Map<String, List<JsonObject>> answers = answersOnInventoryTopic(orderIds);
    assertThat(answers.get("StockReserved")).hasSize(10).allSatisfy(e -> assertThat(e.getJsonObject("payload")
        .getJsonArray("lines").getJsonObject(0)).isEqualTo(new JsonObject().put("sku", sku).put("quantity", 1)
        .put("unitPriceCents", 2500).put("currency", "EUR")));
    assertThat(answers.get("StockRejected")).hasSize(40).allSatisfy(e -> assertThat(e.getJsonObject("payload")
        .getJsonArray("reasons").getJsonObject(0).getString("reason")).isEqualTo("INSUFFICIENT_STOCK"));
  }

  /** The answers to {@code orderIds} as the relay published them to the inventory topic, by event type. */
  private static Map<String, List<JsonObject>> answersOnInventoryTopic(Set<String> orderIds) {
    Map<String, List<JsonObject>> byType = new ConcurrentHashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", inventory.service().context().settings().string("kafka.bootstrap"),
        "enable.auto.commit", "false",
        "key.deserializer", StringDeserializer.class.getName(),
        "value.deserializer", StringDeserializer.class.getName()))) {
      List<TopicPartition> partitions = consumer.partitionsFor(inventory.inventoryTopic(), Duration.ofSeconds(10))
          .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Set<String> answered = ConcurrentHashMap.newKeySet();
      await().atMost(InventoryFixture.DEADLINE).until(() -> {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          JsonObject envelope = new JsonObject(record.value());
          if (orderIds.contains(record.key()) && answered.add(envelope.getString("id"))) {
            assertThat(record.key()).isEqualTo(envelope.getString("aggregateId"));
            byType.computeIfAbsent(envelope.getString("type"), t -> new ArrayList<>()).add(envelope);
          }
        }
        return answered.size() >= orderIds.size();
      });
    }
    return byType;
  }
}
