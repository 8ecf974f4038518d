package io.shopmesh.inventory.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A bulk import as its uploader follows it. {@code errors} holds the first rejected rows by line
 * (up to the configured cap); {@code errorCount} counts them all.
 */
public record ImportJob(UUID id, State state, String format, int rowsRead, int rowsImported, int errorCount,
                        List<RowError> errors, Instant startedAt, Optional<Instant> finishedAt) {

  public enum State {
    RUNNING, COMPLETED, FAILED
  }
}
