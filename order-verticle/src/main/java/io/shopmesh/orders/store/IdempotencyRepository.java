package io.shopmesh.orders.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code idempotency_keys} table: which order a customer's key created, and a fingerprint of
 * the request that created it.
 */
public final class IdempotencyRepository {

  private static final String CLAIM = "INSERT INTO idempotency_keys (user_id, key, request_hash, order_id)"
      + " VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, key) DO NOTHING";
  private static final String FIND = "SELECT request_hash, order_id FROM idempotency_keys"
      + " WHERE user_id = $1 AND key = $2";
  private static final String PURGE = "DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY (SELECT ctid"
      + " FROM idempotency_keys WHERE created_at < clock_timestamp() - make_interval(secs => $1) LIMIT $2))";

  /**
   * Records that {@code key} creates {@code orderId}; false when the key is already taken. When
   * another transaction holds the same key uncommitted, this waits for it: if it commits, the key
   * is taken; if it rolls back, the key is ours.
   */
  public Future<Boolean> claim(SqlClient tx, String userId, String key, String requestHash, UUID orderId) {
    return tx.preparedQuery(CLAIM).execute(Tuple.of(userId, key, requestHash, orderId))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Optional<Claim>> find(SqlClient client, String userId, String key) {
    return client.preparedQuery(FIND).execute(Tuple.of(userId, key)).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(new Claim(rows.iterator().next().getString("request_hash"),
            rows.iterator().next().getUUID("order_id"))));
  }

  /** Forgets up to {@code batch} keys older than {@code retention}; returns how many. */
  public Future<Integer> purgeOlderThan(SqlClient client, Duration retention, int batch) {
    return client.preparedQuery(PURGE).execute(Tuple.of(retention.toMillis() / 1000.0, batch))
        .map(rows -> rows.rowCount());
  }

  /** What a key was first used for. */
  public record Claim(String requestHash, UUID orderId) {
  }
}
