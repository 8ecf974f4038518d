package io.shopmesh.events.dlq;

import io.shopmesh.events.Topics;
import io.shopmesh.events.kafka.KafkaClients;
import io.shopmesh.events.kafka.RecordHeaders;
import io.shopmesh.platform.config.KafkaConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Inspects and replays the dead letters of an event topic, for the admin HTTP endpoints and the
 * {@link DlqCli} alike. Both read {@code <topic>.dlq} with a group-less consumer, so looking never
 * moves anyone's offsets: a listing the newest records of each partition, a replay all of them.
 *
 * <p>Blocking: call it from a worker thread ({@code vertx.executeBlocking}) or a CLI.
 * Replaying does not remove anything from the dead-letter topic (Kafka cannot delete one record);
 * replaying twice is harmless because the consumers' inbox skips an event it already applied.
 */
public final class DeadLetters {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final KafkaConfig kafka;

  public DeadLetters(KafkaConfig kafka) {
    this.kafka = kafka;
  }

  /** The most dead letters one listing returns: they are read into memory, and a poison storm leaves millions. */
  public static final int MAX_LISTED = 1000;
  /** How many a listing returns unless asked otherwise. */
  public static final int DEFAULT_LISTED = 100;

  /**
   * The listing size {@code text} asks for ({@code ?limit=}, {@code --limit}): {@link #DEFAULT_LISTED}
   * when null, 0 when it is not a whole number from 1 to {@link #MAX_LISTED}.
   */
  static int listLimit(String text) {
    if (text == null) {
      return DEFAULT_LISTED;
    }
    try {
      int limit = Integer.parseInt(text);
      return limit >= 1 && limit <= MAX_LISTED ? limit : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * How many dead letters a topic holds, and the newest of them.
   *
   * @param total  records in the dead-letter topic (all partitions, what its retention kept)
   * @param newest at most the limit asked for, oldest first
   */
  public record Listing(long total, List<DeadLetter> newest) {
  }

  /**
   * The {@code limit} newest dead letters of {@code topic} (by the time they were written, over all
   * partitions; at most {@code limit} are read from each) and how many there are in all.
   *
   * @param topic a logical topic name such as {@code orders.events}
   * @param limit 1 to {@link #MAX_LISTED}
   * @throws IllegalArgumentException when {@code topic} is not an event topic
   */
  public Listing list(String topic, int limit) {
    if (limit < 1 || limit > MAX_LISTED) {
      throw new IllegalStateException("limit " + limit + " outside 1.." + MAX_LISTED);
    }
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long total = read(topic, limit, records::add);
    List<DeadLetter> newest = records.stream()
        .sorted(Comparator.comparingLong((ConsumerRecord<String, String> r) -> r.timestamp())
            .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset))
        .skip(Math.max(0, records.size() - limit))
        .map(DeadLetter::of)
        .toList();
    return new Listing(total, newest);
  }

  /**
   * Re-injects dead letters into {@code topic} with their key, value and original headers: all of
   * them, or only the event {@code eventId} when it is not null. Each event is re-injected once
   * even when it was dead-lettered several times (by several consumers). Records are sent as they
   * are read (only one id per event is kept), so when reading fails part-way, what was read before
   * has been re-injected: the error says how many, and replaying again is harmless.
   *
   * @return how many records were re-injected
   * @throws NoSuchElementException when {@code eventId} names no dead letter of the topic
   */
  public int replay(String topic, String eventId) {
    Properties config = new Properties();
    config.putAll(KafkaClients.producer(kafka, "shopmesh-dlq-replay", 0, TIMEOUT));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      List<Future<?>> sent = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      try {
        read(topic, 0, record -> {
          String id = DeadLetter.envelopeField(record, RecordHeaders.EVENT_ID, "id");
          if ((eventId == null || eventId.equals(id)) && (id == null || seen.add(id))) {
            sent.add(producer.send(new ProducerRecord<>(kafka.topic(topic), null, record.key(), record.value(),
                originalHeaders(record))));
          }
        });
      } catch (RuntimeException e) {
        if (sent.isEmpty()) {
          throw e;
        }
        throw new IllegalStateException(e.getMessage() + "; " + sent.size() + " dead letter"
            + (sent.size() == 1 ? " was" : "s were") + " re-injected before that (replaying again is harmless)", e);
      }
      if (eventId != null && sent.isEmpty()) {
        throw new NoSuchElementException("no dead letter with event id " + eventId + " in "
            + Topics.deadLetters(topic));
      }
      for (Future<?> f : sent) {
        f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      return sent.size();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("replay into " + kafka.topic(topic) + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    }
  }

  /**
   * Hands {@code each} the records of the dead-letter topic of {@code topic}: all of them, or the
   * last {@code lastPerPartition} of each partition when that is above 0. Returns how many records
   * the topic holds in all.
   */
  private long read(String topic, long lastPerPartition, Consumer<ConsumerRecord<String, String>> each) {
    if (!Topics.ALL.contains(topic)) {
      throw new IllegalArgumentException("unknown event topic '" + topic + "'; known: " + Topics.ALL);
    }
    String dlq = kafka.topic(Topics.deadLetters(topic));
    Properties config = new Properties();
    config.put("bootstrap.servers", kafka.bootstrap());
    config.put("client.id", "shopmesh-dlq-reader");
    config.put("enable.auto.commit", "false");
    config.put("allow.auto.create.topics", "false");
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", StringDeserializer.class.getName());
    config.put("request.timeout.ms", "5000");
    config.put("default.api.timeout.ms", Long.toString(TIMEOUT.toMillis()));
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<PartitionInfo> infos = consumer.partitionsFor(dlq, TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        return 0;
      }
      List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(dlq, i.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, TIMEOUT);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
      long total = 0;
      for (TopicPartition tp : partitions) {
        long begin = begins.get(tp);
        long end = ends.get(tp);
        total += end - begin;
        consumer.seek(tp, lastPerPartition > 0 ? Math.max(begin, end - lastPerPartition) : begin);
      }
      Instant deadline = Instant.now().plus(TIMEOUT);
      while (!caughtUp(consumer, ends)) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("reading " + dlq + " did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
            each.accept(r);
          }
        }
      }
      return total;
    }
  }

  private static boolean caughtUp(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), TIMEOUT) >= e.getValue());
  }

  /** The headers the record had before it was dead-lettered. */
  private static List<Header> originalHeaders(ConsumerRecord<String, String> record) {
    List<Header> headers = new ArrayList<>();
    for (Header h : record.headers()) {
      if (!h.key().startsWith(RecordHeaders.DLQ_PREFIX)) {
        headers.add(h);
      }
    }
    return headers;
  }
}
