package io.shopmesh.events.inbox;

import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.ListOffsetsResultInfo;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.admin.TopicDescription;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.common.TopicPartitionInfo;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Measures, every few seconds, how far behind this consumer is per assigned partition and how
 * many dead letters wait in its topics' {@code .dlq}.
 *
 * <p>It asks through its own admin client, never through the consumer: vertx-kafka-client runs
 * every call of a consumer (poll, commit, offset look-ups, close) on that consumer's one thread,
 * so look-ups there made polls wait for their broker round trips, and one stuck in the client's
 * metadata retries once held a stop for a minute. The assignment and the processed positions
 * are known here already; the end offsets (and, for partitions with nothing processed yet, the
 * group's committed offsets) come from the broker.
 */
final class ConsumerProbe {

  private final KafkaAdminClient admin;
  private final String group;
  private final Set<TopicPartition> assigned;
  private final OffsetCommits offsets;
  private final ConsumerMetrics metrics;
  private final List<String> deadLetterTopics;
  private final BooleanSupplier open;
  private Future<Void> running;

  /**
   * @param assigned the consumer's current partitions, kept up to date by its rebalance handlers
   * @param open     false once the consumer is stopping: nothing more is recorded then
   */
  ConsumerProbe(KafkaAdminClient admin, String group, Set<TopicPartition> assigned, OffsetCommits offsets,
                ConsumerMetrics metrics, List<String> deadLetterTopics, BooleanSupplier open) {
    this.admin = admin;
    this.group = group;
    this.assigned = assigned;
    this.offsets = offsets;
    this.metrics = metrics;
    this.deadLetterTopics = deadLetterTopics;
    this.open = open;
  }

  /** Starts a measurement unless one is still running (a broker that does not answer holds one for seconds). */
  void refresh() {
    if (running == null || running.isComplete()) {
      running = lag().eventually(this::deadLetterDepth);
    }
  }

  /**
   * Closes the admin client: a measurement still waiting for the broker fails (and records nothing,
   * {@code open} being false by then) after at most {@code timeoutMillis}.
   */
  Future<Void> close(long timeoutMillis) {
    return admin.close(timeoutMillis);
  }

  private Future<Void> lag() {
    if (assigned.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    assigned.forEach(tp -> latest.put(tp, OffsetSpec.LATEST));
    return admin.listOffsets(latest).compose(ends -> positions(ends.keySet()).map(positions -> {
      ends.forEach((tp, end) -> {
        Long position = positions.get(tp);
        if (position != null && open.getAsBoolean() && assigned.contains(tp)) {
          metrics.lag(tp, end.getOffset() - position);
        }
      });
      return null;
    }));
  }

  /**
   * Where this member stands in each partition: the next offset after what it processed; where it
   * processed nothing yet, the group's committed offset; where there is none either, the start of
   * the partition (the consumer's {@code auto.offset.reset} is {@code earliest}).
   */
  private Future<Map<TopicPartition, Long>> positions(Set<TopicPartition> partitions) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    Set<TopicPartition> unknown = new HashSet<>();
    for (TopicPartition tp : partitions) {
      Long position = offsets.position(tp);
      if (position != null) {
        positions.put(tp, position);
      } else {
        unknown.add(tp);
      }
    }
    if (unknown.isEmpty()) {
      return Future.succeededFuture(positions);
    }
    return admin.listConsumerGroupOffsets(group).compose(committed -> {
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (TopicPartition tp : unknown) {
        OffsetAndMetadata commit = committed.get(tp);
        if (commit != null) {
          positions.put(tp, commit.getOffset());
        } else {
          earliest.put(tp, OffsetSpec.EARLIEST);
        }
      }
      return earliest.isEmpty() ? Future.succeededFuture(positions) : admin.listOffsets(earliest).map(begins -> {
        begins.forEach((tp, begin) -> positions.put(tp, begin.getOffset()));
        return positions;
      });
    });
  }

  private Future<Void> deadLetterDepth() {
    if (deadLetterTopics.isEmpty()) {
      return Future.succeededFuture();
    }
    return admin.describeTopics(deadLetterTopics).compose(topics -> {
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription topic : topics.values()) {
        for (TopicPartitionInfo info : topic.getPartitions()) {
          TopicPartition tp = new TopicPartition(topic.getName(), info.getPartition());
          earliest.put(tp, OffsetSpec.EARLIEST);
          latest.put(tp, OffsetSpec.LATEST);
        }
      }
      return Future.all(admin.listOffsets(earliest), admin.listOffsets(latest)).map(both -> {
        Map<TopicPartition, ListOffsetsResultInfo> begins = both.resultAt(0);
        Map<TopicPartition, ListOffsetsResultInfo> ends = both.resultAt(1);
        if (open.getAsBoolean()) {
          for (String topic : deadLetterTopics) {
            metrics.dlqDepth(topic.substring(0, topic.length() - ".dlq".length()), depth(topic, begins, ends));
          }
        }
        return null;
      });
    });
  }

  private static long depth(String topic, Map<TopicPartition, ListOffsetsResultInfo> begins,
                            Map<TopicPartition, ListOffsetsResultInfo> ends) {
    long total = 0;
    for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
      if (end.getKey().getTopic().equals(topic)) {
        ListOffsetsResultInfo begin = begins.get(end.getKey());
        total += end.getValue().getOffset() - (begin == null ? 0 : begin.getOffset());
      }
    }
    return total;
  }
}
