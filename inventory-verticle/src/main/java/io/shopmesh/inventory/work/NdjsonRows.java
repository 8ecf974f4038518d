package io.shopmesh.inventory.work;

import io.shopmesh.inventory.domain.ImportRows;
import io.shopmesh.inventory.domain.RowError;
import io.shopmesh.inventory.domain.RowOutcome;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.http.StrictJson;
import io.vertx.core.buffer.Buffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Newline-delimited JSON: one product object per line, decoded as strictly as a request body
 * (unknown fields, wrong types and duplicate keys are errors of that line). Blank lines are skipped.
 */
final class NdjsonRows extends RowReader {

  /** One line's object; numbers must be JSON integers. */
  record Line(String sku, String name, String description, Long priceCents, String currency, Integer stock) {
  }

  private Buffer body;
  private BufferedReader reader;
  private long line;

  NdjsonRows(Buffer body) {
    this.body = body;
  }

  @Override
  protected Optional<RowOutcome> readRow() throws IOException {
    if (reader == null) {
      reader = new BufferedReader(utf8(body));
      body = null;
    }
    String text;
    do {
      text = reader.readLine();
      if (text == null) {
        return Optional.empty();
      }
      line++;
    } while (text.isBlank());
    Line row;
    try {
      row = StrictJson.decode(text.getBytes(StandardCharsets.UTF_8), Line.class);
    } catch (ProblemException e) {
      return Optional.of(new RowError(line, e.detail()));
    }
    if (row == null) {
      return Optional.of(new RowError(line, "a JSON object is expected"));
    }
    return Optional.of(ImportRows.of(line, row.sku(), row.name(), row.description(), row.priceCents(),
        row.currency(), row.stock()));
  }

  @Override
  protected long currentLine() {
    return Math.max(1, line + 1);
  }
}
