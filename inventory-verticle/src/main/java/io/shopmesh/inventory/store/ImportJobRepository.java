package io.shopmesh.inventory.store;

import io.shopmesh.inventory.domain.ImportJob;
import io.shopmesh.inventory.domain.RowError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code import_jobs} and {@code import_errors} tables. A job's counters move forward in the
 * same transaction as the batch they count. A job whose instance died keeps {@code RUNNING} in
 * the table; it is reported as {@code FAILED} once its heartbeat is older than {@code staleAfter}.
 */
public final class ImportJobRepository {

  private static final String INSERT = "INSERT INTO import_jobs (id, state, format, size_bytes, requested_by) "
      + "VALUES ($1, 'RUNNING', $2, $3, $4)";
  private static final String PROGRESS = "UPDATE import_jobs SET rows_read = rows_read + $2, "
      + "rows_imported = rows_imported + $3, error_count = error_count + $4, heartbeat_at = now() WHERE id = $1";
  private static final String ERRORS = "INSERT INTO import_errors (job_id, line, message) "
      + "SELECT $1, * FROM unnest($2::int8[], $3::text[])";
  private static final String FINISH = "UPDATE import_jobs SET state = $2, finished_at = now(), heartbeat_at = now() "
      + "WHERE id = $1";
  private static final String BY_ID = "SELECT id, format, rows_read, rows_imported, error_count, started_at, "
      + "finished_at, CASE WHEN state = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $2) "
      + "THEN 'FAILED' ELSE state END AS state, "
      + "state = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $2) AS stale "
      + "FROM import_jobs WHERE id = $1";
  private static final String ERRORS_OF = "SELECT line, message FROM import_errors WHERE job_id = $1 "
      + "ORDER BY line LIMIT $2";

  private final Pool pool;
  private final Duration staleAfter;

  public ImportJobRepository(Pool pool, Duration staleAfter) {
    this.pool = pool;
    this.staleAfter = staleAfter;
  }

  public Future<Void> create(UUID id, String format, long sizeBytes, String requestedBy) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(id, format, sizeBytes, requestedBy)).mapEmpty();
  }

  /**
   * Counts a batch through {@code tx}: rows read, rows imported, all its errors, of which only
   * {@code stored} are kept.
   */
  public Future<Void> progress(SqlClient tx, UUID id, int rowsRead, int rowsImported, int errorCount,
                               List<RowError> stored) {
    Future<?> counted = tx.preparedQuery(PROGRESS).execute(Tuple.of(id, rowsRead, rowsImported, errorCount));
    if (stored.isEmpty()) {
      return counted.mapEmpty();
    }
    return counted.compose(v -> tx.preparedQuery(ERRORS).execute(Tuple.of(id,
        stored.stream().map(RowError::line).toArray(Long[]::new),
        stored.stream().map(RowError::message).toArray(String[]::new)))).mapEmpty();
  }

  /** Ends the job in {@code state}, recording {@code failure} (when present) as its last error. */
  public Future<Void> finish(UUID id, ImportJob.State state, Optional<RowError> failure) {
    return pool.withTransaction(tx -> {
      Future<?> recorded = failure.map(error -> progress(tx, id, 0, 0, 1, List.of(error)))
          .orElse(Future.succeededFuture());
      return recorded.compose(v -> tx.preparedQuery(FINISH).execute(Tuple.of(id, state.name()))).mapEmpty();
    });
  }

  /** The job with up to {@code maxErrors} of its errors, by line. */
  public Future<Optional<ImportJob>> find(UUID id, int maxErrors) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id, (double) staleAfter.toSeconds())).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row row = rows.iterator().next();
      return pool.preparedQuery(ERRORS_OF).execute(Tuple.of(id, maxErrors)).map(errorRows -> {
        List<RowError> errors = new ArrayList<>();
        errorRows.forEach(e -> errors.add(new RowError(e.getLong("line"), e.getString("message"))));
        if (row.getBoolean("stale")) {
          errors.add(new RowError(0, "the import stopped when the instance running it went away; upload the rows "
              + "not imported yet (rowsRead says how many were; uploading imported rows again sets their stock to the "
              + "file's value once more, whatever orders have reserved since)"));
        }
        return Optional.of(job(row, errors));
      });
    });
  }

  private static ImportJob job(Row row, List<RowError> errors) {
    return new ImportJob(row.getUUID("id"), ImportJob.State.valueOf(row.getString("state")), row.getString("format"),
        row.getInteger("rows_read"), row.getInteger("rows_imported"), row.getInteger("error_count"),
        List.copyOf(errors), row.getOffsetDateTime("started_at").toInstant(),
        Optional.ofNullable(row.getOffsetDateTime("finished_at")).map(t -> t.toInstant()));
  }
}
