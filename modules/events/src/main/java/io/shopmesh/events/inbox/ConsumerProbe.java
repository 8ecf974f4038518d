package io.shopmesh.events.inbox;

import io.vertx.core.Future;
import io.vertx.kafka.client.common.PartitionInfo;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Measures, every few seconds, how far behind this consumer is per assigned partition and how
 * many dead letters wait in its topics' {@code .dlq}. It asks through the consumer itself (offset
 * look-ups, no group membership needed for the dead-letter topics), one step at a time and only
 * while {@code open} holds, since the client must not be touched once it is closing.
 */
final class ConsumerProbe {

  private final KafkaConsumer<String, String> consumer;
  private final OffsetCommits offsets;
  private final ConsumerMetrics metrics;
  private final List<String> deadLetterTopics;
  private final BooleanSupplier open;
  private boolean running;

  ConsumerProbe(KafkaConsumer<String, String> consumer, OffsetCommits offsets, ConsumerMetrics metrics,
                List<String> deadLetterTopics, BooleanSupplier open) {
    this.consumer = consumer;
    this.offsets = offsets;
    this.metrics = metrics;
    this.deadLetterTopics = deadLetterTopics;
    this.open = open;
  }

  void refresh() {
    if (running) {
      return;
    }
    running = true;
    lag().eventually(this::deadLetterDepth).onComplete(ar -> running = false);
  }

  private Future<Void> lag() {
    return step(consumer::assignment).compose(assigned -> assigned.isEmpty() ? Future.succeededFuture()
        : step(() -> consumer.endOffsets(assigned)).compose(ends -> {
          List<Future<Void>> each = new ArrayList<>();
          ends.forEach((tp, end) -> {
            Long position = offsets.position(tp);
            each.add(position != null ? record(tp, end, position)
                : step(() -> consumer.position(tp)).compose(p -> record(tp, end, p)));
          });
          return Future.join(each).mapEmpty();
        }));
  }

  private Future<Void> record(TopicPartition tp, long end, long position) {
    if (open.getAsBoolean()) {
      metrics.lag(tp, end - position);
    }
    return Future.succeededFuture();
  }

  private Future<Void> deadLetterDepth() {
    List<Future<Void>> each = new ArrayList<>();
    for (String topic : deadLetterTopics) {
      each.add(step(() -> consumer.partitionsFor(topic)).compose(infos -> {
        Set<TopicPartition> partitions = new HashSet<>();
        for (PartitionInfo info : infos) {
          partitions.add(new TopicPartition(topic, info.getPartition()));
        }
        if (partitions.isEmpty()) {
          return Future.succeededFuture();
        }
        return step(() -> consumer.beginningOffsets(partitions)).compose(begins ->
            step(() -> consumer.endOffsets(partitions)).map(ends -> {
              metrics.dlqDepth(topic.substring(0, topic.length() - ".dlq".length()), depth(begins, ends));
              return null;
            }));
      }));
    }
    return Future.join(each).mapEmpty();
  }

  private static long depth(Map<TopicPartition, Long> begins, Map<TopicPartition, Long> ends) {
    long total = 0;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      total += end.getValue() - begins.getOrDefault(end.getKey(), 0L);
    }
    return total;
  }

  private <T> Future<T> step(java.util.function.Supplier<Future<T>> call) {
    return open.getAsBoolean() ? call.get() : Future.failedFuture("consumer closing");
  }
}
