package io.shopmesh.events.inbox;

import io.vertx.core.Future;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One {@link PartitionWorker} per partition this consumer owns. Polled records go to their
 * partition's worker; a worker holding {@link #MAX_QUEUED} records gets its partition paused (the
 * poll loop goes on for the others, so the group never thinks this member died) and resumed once
 * it has worked down to half, which bounds memory without an unbounded queue.
 */
final class PartitionWorkers {

  static final int MAX_QUEUED = 1000;

  private final KafkaConsumer<String, String> consumer;
  private final RecordProcessor processor;
  private final OffsetCommits offsets;
  private final Map<TopicPartition, PartitionWorker> workers = new HashMap<>();
  private boolean stopped;

  PartitionWorkers(KafkaConsumer<String, String> consumer, RecordProcessor processor, OffsetCommits offsets) {
    this.consumer = consumer;
    this.processor = processor;
    this.offsets = offsets;
  }

  void dispatch(KafkaConsumerRecords<String, String> records) {
    if (stopped) {
      return;
    }
    Set<TopicPartition> full = new LinkedHashSet<>();
    for (ConsumerRecord<String, String> record : records.records()) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      PartitionWorker worker = workers.computeIfAbsent(tp, p -> new PartitionWorker(p, processor, offsets,
          this::progressed));
      worker.enqueue(record);
      if (worker.queued() >= MAX_QUEUED && !worker.paused()) {
        worker.paused(true);
        full.add(tp);
      }
    }
    if (!full.isEmpty()) {
      consumer.pause(full);
    }
  }

  /** Partitions that moved to another member: their queued records are dropped, the one in progress finishes. */
  void revoke(Set<TopicPartition> partitions) {
    partitions.forEach(tp -> {
      PartitionWorker worker = workers.remove(tp);
      if (worker != null) {
        worker.stop();
      }
    });
  }

  /** Stops every worker; completes when the records in progress have finished, or after {@code timeout}. */
  Future<Void> stop(Duration timeout) {
    stopped = true;
    List<Future<Void>> inFlight = new ArrayList<>();
    workers.values().forEach(w -> inFlight.add(w.stop()));
    return Future.join(inFlight).<Void>mapEmpty().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void progressed(PartitionWorker worker) {
    if (worker.paused() && worker.queued() <= MAX_QUEUED / 2 && !stopped
        && workers.get(worker.partition()) == worker) {
      worker.paused(false);
      consumer.resume(worker.partition());
    }
  }
}
