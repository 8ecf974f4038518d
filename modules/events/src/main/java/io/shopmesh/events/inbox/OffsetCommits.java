package io.shopmesh.events.inbox;

import io.vertx.core.Future;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The offsets a consumer may commit, and their commits. Per partition it keeps the offset after
 * the last record whose processing finished (transaction committed, duplicate skipped or dead
 * letter written). Records of a partition finish in order, so everything below that offset is
 * done, and nothing at or above it is ever committed. Values only grow: a partition that comes
 * back after a rebalance may replay records already finished, which must not move it backwards.
 *
 * <p>Commits run one after the other (the Kafka client does them synchronously on its thread);
 * a failed one is simply repeated by the next, since the offsets it carried are still pending.
 */
final class OffsetCommits {

  private static final Logger LOG = LoggerFactory.getLogger(OffsetCommits.class);

  private final KafkaConsumer<String, String> consumer;
  private final String name;
  private final Map<TopicPartition, Long> processed = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private Future<Void> last = Future.succeededFuture();
  private boolean disabled;

  OffsetCommits(KafkaConsumer<String, String> consumer, String name) {
    this.consumer = consumer;
    this.name = name;
  }

  void processed(TopicPartition tp, long nextOffset) {
    processed.merge(tp, nextOffset, Math::max);
  }

  /** The next offset to process in {@code tp}, or null when nothing was processed there yet. */
  Long position(TopicPartition tp) {
    return processed.get(tp);
  }

  /** Whether no commit is in progress. */
  boolean idle() {
    return last.isComplete();
  }

  /** Test hook: from now on nothing is committed, as if the process died. */
  void disable() {
    disabled = true;
  }

  /** Commits every finished offset not yet committed, after the commit in progress if any. */
  Future<Void> commit() {
    last = last.transform(previous -> {
      Map<TopicPartition, OffsetAndMetadata> pending = uncommitted();
      if (pending.isEmpty() || disabled) {
        return Future.succeededFuture();
      }
      return consumer.commit(pending)
          .onSuccess(done -> pending.forEach((tp, o) -> committed.merge(tp, o.getOffset(), Math::max)))
          .onFailure(e -> LOG.debug("consumer {} offset commit failed (retried at the next interval): {}", name,
              e.toString()))
          .mapEmpty();
    });
    return last;
  }

  private Map<TopicPartition, OffsetAndMetadata> uncommitted() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    processed.forEach((tp, offset) -> {
      if (!offset.equals(committed.get(tp))) {
        out.put(tp, new OffsetAndMetadata(offset, ""));
      }
    });
    return out;
  }
}
