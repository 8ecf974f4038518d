package io.shopmesh.events.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The relay's SQL against the {@code outbox} table (see {@code db/events/V1__outbox_and_inbox.sql}). */
final class OutboxStore {

  /** Backlog size and the age of its oldest row, in seconds (0 when empty). */
  record Backlog(long rows, double oldestAgeSeconds) {
  }

  private final PreparedQuery<RowSet<Row>> unpublished;
  private final PreparedQuery<RowSet<Row>> markPublished;
  private final PreparedQuery<RowSet<Row>> deletePublished;
  private final PreparedQuery<RowSet<Row>> backlog;

  OutboxStore(Pool pool) {
    this.unpublished = pool.preparedQuery("SELECT seq, id, topic, aggregate_id, type, envelope, created_at FROM outbox"
        + " WHERE published_at IS NULL ORDER BY seq LIMIT $1");
    this.markPublished = pool.preparedQuery("UPDATE outbox SET published_at = now() WHERE seq = ANY($1)");
    // bounded chunks: a long outage followed by a big cleanup must not hold one huge transaction
    this.deletePublished = pool.preparedQuery("DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox"
        + " WHERE published_at < now() - make_interval(secs => $1) LIMIT 5000)");
    this.backlog = pool.preparedQuery("SELECT count(*) AS n,"
        + " COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8 AS age"
        + " FROM outbox WHERE published_at IS NULL");
  }

  /** The oldest unpublished rows, in commit-visible {@code seq} order. */
  Future<List<OutboxRow>> unpublished(int limit) {
    return unpublished.execute(Tuple.of(limit)).map(rows -> {
      List<OutboxRow> batch = new ArrayList<>(rows.size());
      for (Row r : rows) {
        batch.add(new OutboxRow(r.getLong("seq"), r.getUUID("id"), r.getString("topic"), r.getString("aggregate_id"),
            r.getString("type"), r.getString("envelope"), r.getOffsetDateTime("created_at").toInstant()));
      }
      return batch;
    });
  }

  Future<Void> markPublished(List<OutboxRow> rows) {
    Long[] seqs = rows.stream().map(OutboxRow::seq).toArray(Long[]::new);
    return markPublished.execute(Tuple.of(seqs)).mapEmpty();
  }

  /** Deletes up to one chunk of rows published before {@code retention}; returns how many went. */
  Future<Integer> deletePublishedBefore(Duration retention) {
    return deletePublished.execute(Tuple.of(retention.toMillis() / 1000.0)).map(RowSet::rowCount);
  }

  Future<Backlog> backlog() {
    return backlog.execute().map(rows -> {
      Row r = rows.iterator().next();
      return new Backlog(r.getLong("n"), r.getDouble("age"));
    });
  }
}
