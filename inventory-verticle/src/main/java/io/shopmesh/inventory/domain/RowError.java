package io.shopmesh.inventory.domain;

/** A row of an import file that was skipped, and why. */
public record RowError(long line, String message) implements RowOutcome {
}
