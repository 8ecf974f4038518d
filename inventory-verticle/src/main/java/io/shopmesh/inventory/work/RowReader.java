package io.shopmesh.inventory.work;

import io.shopmesh.inventory.domain.ImportRow;
import io.shopmesh.inventory.domain.RowError;
import io.shopmesh.inventory.domain.RowOutcome;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an import file a batch at a time. Blocking code for a worker thread: one batch is read at
 * a time, never two at once, though successive batches may run on different worker threads.
 * A sku that appears again after a valid row is an error of the later row.
 */
public abstract class RowReader {

  private final Map<String, Long> firstLineBySku = new HashMap<>();
  private boolean done;

  /** A reader of {@code body} in {@code format}; nothing is read until {@link #next}. */
  public static RowReader open(ImportFormat format, Buffer body) {
    return switch (format) {
      case CSV -> new CsvRows(body);
      case NDJSON -> new NdjsonRows(body);
    };
  }

  /** Up to {@code max} rows, valid and invalid together. */
  public final ImportBatch next(int max) {
    List<ImportRow> rows = new ArrayList<>();
    List<RowError> errors = new ArrayList<>();
    int read = 0;
    Optional<RowError> fatal = Optional.empty();
    try {
      while (!done && read < max) {
        Optional<RowOutcome> outcome = readRow();
        if (outcome.isEmpty()) {
          done = true;
        } else {
          read++;
          RowOutcome checked = unique(outcome.get());
          if (checked instanceof ImportRow row) {
            rows.add(row);
          } else {
            errors.add((RowError) checked);
          }
        }
      }
    } catch (UncheckedIOException e) {
      fatal = Optional.of(unreadable(e.getCause()));
    } catch (IOException e) {
      fatal = Optional.of(unreadable(e));
    } catch (FatalRow e) {
      fatal = Optional.of(e.error);
    }
    if (fatal.isPresent()) {
      done = true;
    }
    return new ImportBatch(rows, errors, read, done, fatal);
  }

  private RowError unreadable(IOException e) {
    if (e instanceof CharacterCodingException) {
      return new RowError(currentLine(), "the file is not valid UTF-8 here; nothing after this line was read");
    }
    return new RowError(currentLine(), "the file cannot be read further: " + e.getMessage());
  }

  /** The next data row, or empty at the end of the file. */
  protected abstract Optional<RowOutcome> readRow() throws IOException, FatalRow;

  /** The line the reader is on, for errors that stop it. */
  protected abstract long currentLine();

  /** UTF-8 text of {@code body} (a leading byte-order mark dropped) that fails on malformed bytes. */
  protected static Reader utf8(Buffer body) {
    byte[] bytes = body.getBytes();
    int bom = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
    InputStream in = new ByteArrayInputStream(bytes, bom, bytes.length - bom);
    return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  private RowOutcome unique(RowOutcome outcome) {
    if (!(outcome instanceof ImportRow row)) {
      return outcome;
    }
    Long first = firstLineBySku.putIfAbsent(row.product().sku(), row.line());
    if (first == null) {
      return row;
    }
    return new RowError(row.line(), "sku " + row.product().sku() + " already appears on line " + first
        + "; a file may hold each sku once");
  }

  /** The rest of the file cannot be read (e.g. a bad CSV header). */
  protected static final class FatalRow extends Exception {

    private final RowError error;

    FatalRow(RowError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }
}
