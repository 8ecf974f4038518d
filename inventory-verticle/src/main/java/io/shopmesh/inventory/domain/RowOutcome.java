package io.shopmesh.inventory.domain;

/** What one row of an import file turned out to be. */
public sealed interface RowOutcome permits ImportRow, RowError {

  /** The line of the file the row starts on (1 is the first line, the CSV header). */
  long line();
}
