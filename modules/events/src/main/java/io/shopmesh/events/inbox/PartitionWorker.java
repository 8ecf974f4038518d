package io.shopmesh.events.inbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.kafka.client.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The records of one partition, processed strictly one after the other while other partitions
 * proceed independently. The queue is bounded by its owner, which pauses the partition when it
 * is full and resumes it when it has drained to half.
 */
final class PartitionWorker {

  private final TopicPartition partition;
  private final RecordProcessor processor;
  private final OffsetCommits offsets;
  private final Consumer<PartitionWorker> onProgress;
  private final Deque<ConsumerRecord<String, String>> queue = new ArrayDeque<>();
  private boolean running;
  private boolean active = true;
  private boolean paused;
  private Promise<Void> stopped;

  PartitionWorker(TopicPartition partition, RecordProcessor processor, OffsetCommits offsets,
                  Consumer<PartitionWorker> onProgress) {
    this.partition = partition;
    this.processor = processor;
    this.offsets = offsets;
    this.onProgress = onProgress;
  }

  TopicPartition partition() {
    return partition;
  }

  int queued() {
    return queue.size();
  }

  boolean paused() {
    return paused;
  }

  void paused(boolean paused) {
    this.paused = paused;
  }

  void enqueue(ConsumerRecord<String, String> record) {
    if (!active) {
      return;
    }
    queue.add(record);
    if (!running) {
      next();
    }
  }

  /**
   * Drops what is queued and completes once the record in progress (if any) has finished or been
   * abandoned: only records that finished count as processed.
   */
  Future<Void> stop() {
    active = false;
    queue.clear();
    if (!running) {
      return Future.succeededFuture();
    }
    if (stopped == null) {
      stopped = Promise.promise();
    }
    return stopped.future();
  }

  private void next() {
    ConsumerRecord<String, String> record = active ? queue.poll() : null;
    if (record == null) {
      running = false;
      if (stopped != null) {
        stopped.tryComplete();
      }
      return;
    }
    running = true;
    processor.process(record, () -> active).onComplete(ar -> {
      if (ar.succeeded()) {
        offsets.processed(partition, record.offset() + 1);
      }
      onProgress.accept(this);
      next();
    });
  }
}
