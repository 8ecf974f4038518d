package io.shopmesh.events.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * One unpublished event as stored by {@link io.shopmesh.events.Outbox#append}.
 *
 * @param topic    full topic name (prefix applied when the row was written)
 * @param envelope the envelope JSON text, published byte for byte
 */
record OutboxRow(long seq, UUID id, String topic, String aggregateId, String type, String envelope,
                 Instant createdAt) {
}
