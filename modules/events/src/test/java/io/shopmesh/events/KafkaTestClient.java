package io.shopmesh.events;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Plain, blocking Kafka clients for tests: what is on a topic, what a group committed, raw records in. */
public final class KafkaTestClient {

  private KafkaTestClient() {
  }

  /** Every record of {@code topic}, read from the beginning up to the end offsets of the moment. */
  public static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    config.put("enable.auto.commit", "false");
    config.put("allow.auto.create.topics", "false");
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      Instant deadline = Instant.now().plusSeconds(20);
      while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("could not read " + topic + " to its end");
        }
        consumer.poll(Duration.ofMillis(100)).forEach(r -> {
          if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
            out.add(r);
          }
        });
      }
      return out;
    }
  }

  /** Writes raw records to one partition, in order, and waits for their acknowledgement. */
  public static List<Long> produce(String bootstrap, String topic, int partition, List<Raw> records) {
    Properties config = new Properties();
    config.put("bootstrap.servers", bootstrap);
    config.put("enable.idempotence", "true");
    config.put("acks", "all");
    config.put("key.serializer", StringSerializer.class.getName());
    config.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
      for (Raw r : records) {
        sent.add(producer.send(new ProducerRecord<>(topic, partition, r.key(), r.value(), r.headers())));
      }
      List<Long> offsets = new ArrayList<>();
      for (var f : sent) {
        offsets.add(f.get(10, TimeUnit.SECONDS).offset());
      }
      return offsets;
    } catch (Exception e) {
      throw new AssertionError("cannot produce to " + topic, e);
    }
  }

  /** The offsets {@code group} committed, by partition of {@code topic}. */
  public static Map<Integer, Long> committed(String bootstrap, String group, String topic) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      Map<Integer, Long> out = new HashMap<>();
      offsets.forEach((tp, o) -> {
        if (tp.topic().equals(topic) && o != null) {
          out.put(tp.partition(), o.offset());
        }
      });
      return out;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("cannot read the offsets of " + group, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A record as written by a producer. */
  public record Raw(String key, String value, List<Header> headers) {

    public static Raw of(Envelope envelope) {
      return new Raw(envelope.aggregateId(), envelope.toJson().encode(), List.of());
    }
  }
}
