package io.shopmesh.inventory.work;

import io.shopmesh.inventory.domain.ImportRow;
import io.shopmesh.inventory.domain.RowError;

import java.util.List;
import java.util.Optional;

/**
 * A slice of an import file as read on a worker.
 *
 * @param rowsRead data rows read (valid and invalid; blank lines are not rows)
 * @param last     the file has been read to its end, or could not be read further
 * @param fatal    why the file could not be read further (bad header, broken encoding); rows
 *                 before it stand
 */
public record ImportBatch(List<ImportRow> rows, List<RowError> errors, int rowsRead, boolean last,
                          Optional<RowError> fatal) {
}
