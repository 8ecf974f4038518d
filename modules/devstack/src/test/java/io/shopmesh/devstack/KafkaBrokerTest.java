package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

  @TempDir
  Path dir;
  private KafkaBroker kafka;

  @AfterEach
  void stop() {
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  @DisplayName("a produced record is consumed, and is still there after stop and restart")
  void recordSurvivesRestart() throws Exception {
    kafka = KafkaBroker.start(dir.resolve("kafka"), Ports.freePort(), Ports.freePort());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
      admin.createTopics(List.of(new NewTopic("orders.events", 1, (short) 1))).all().get();
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("orders.events", "order-1", "OrderPlaced")).get();
    }
    assertThat(consumeOne()).isEqualTo("order-1=OrderPlaced");

    kafka.stop();
    kafka.restart();

    assertThat(consumeOne()).isEqualTo("order-1=OrderPlaced");
  }

  @Test
  @DisplayName("kill leaves no broker process behind")
  void killLeavesNothing() {
    kafka = KafkaBroker.start(dir.resolve("kafka"), Ports.freePort(), Ports.freePort());
    long pid = kafka.pid();

    kafka.kill();

    assertThat(ProcessHandle.of(pid).filter(Processes::isRunning)).isEmpty();
  }

  /** A fresh consumer group reads the topic from the start, polling until the record arrives. */
  private String consumeOne() {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("orders.events"));
      return Poll.until("a record on orders.events", Duration.ofSeconds(30), () -> {
        List<String> seen = new ArrayList<>();
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          seen.add(r.key() + "=" + r.value());
        }
        return seen.isEmpty() ? null : String.join(",", seen);
      });
    }
  }
}
