package io.shopmesh.inventory.domain;

/** A valid row of an import file, to be upserted. */
public record ImportRow(long line, NewProduct product) implements RowOutcome {
}
