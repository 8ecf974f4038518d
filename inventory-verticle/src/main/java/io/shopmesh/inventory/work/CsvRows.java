package io.shopmesh.inventory.work;

import io.shopmesh.inventory.domain.ImportRows;
import io.shopmesh.inventory.domain.RowError;
import io.shopmesh.inventory.domain.RowOutcome;
import io.vertx.core.buffer.Buffer;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * RFC 4180 CSV with a header row naming the columns of {@link ImportRows#COLUMNS} (any order,
 * each once). Lines are counted as in the file, header included, so a quoted value spanning lines
 * puts the next row further down. A row that breaks the quoting rules is reported at its first
 * line and skipped up to the end of the line where the break was found; an unterminated quote
 * swallows the rest of the file, as any CSV reader would.
 */
final class CsvRows extends RowReader {

  private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();

  private Buffer body;
  private CSVParser parser;
  private Iterator<CSVRecord> records;
  private int[] columnOf;
  private long lineBefore;
  /**
   * After a quoting error the parser stands just past the offending character: the record it
   * returns next is the rest of the broken row, not a row of its own.
   */
  private boolean restOfBrokenRow;

  CsvRows(Buffer body) {
    this.body = body;
  }

  @Override
  protected Optional<RowOutcome> readRow() throws IOException, FatalRow {
    if (parser == null) {
      parser = CSVParser.builder().setReader(utf8(body)).setFormat(FORMAT).get();
      body = null;
      records = parser.iterator();
      columnOf = header();
    }
    while (true) {
      long start = lineBefore + 1;
      CSVRecord record;
      try {
        if (!records.hasNext()) {
          return Optional.empty();
        }
        record = records.next();
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof CSVException broken)) {
          throw e.getCause();
        }
        boolean sameRow = restOfBrokenRow;
        restOfBrokenRow = true;
        lineBefore = Math.max(lineBefore, parser.getCurrentLineNumber());
        if (sameRow) {
          continue;
        }
        return Optional.of(new RowError(start, "not valid CSV: " + reason(broken)));
      }
      lineBefore = Math.max(lineBefore, parser.getCurrentLineNumber());
      if (restOfBrokenRow || blank(record)) {
        restOfBrokenRow = false;
        continue;
      }
      if (record.size() != columnOf.length) {
        return Optional.of(new RowError(start, "expected " + columnOf.length + " columns, found " + record.size()));
      }
      List<String> fields = new ArrayList<>(columnOf.length);
      for (int column : columnOf) {
        fields.add(record.get(column));
      }
      return Optional.of(ImportRows.ofText(start, fields));
    }
  }

  @Override
  protected long currentLine() {
    return parser == null ? 1 : Math.max(1, parser.getCurrentLineNumber());
  }

  /** Where each of {@link ImportRows#COLUMNS} is in the file. */
  private int[] header() throws FatalRow {
    CSVRecord header = null;
    while (header == null || blank(header)) {
      if (!records.hasNext()) {
        throw new FatalRow(new RowError(1, "the file is empty; the first line must be the header "
            + String.join(",", ImportRows.COLUMNS)));
      }
      header = records.next();
    }
    lineBefore = parser.getCurrentLineNumber();
    List<String> names = header.stream().map(String::strip).toList();
    int[] columns = new int[ImportRows.COLUMNS.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = names.indexOf(ImportRows.COLUMNS.get(i));
    }
    boolean complete = names.size() == columns.length && names.stream().distinct().count() == columns.length
        && Arrays.stream(columns).allMatch(c -> c >= 0);
    if (!complete) {
      throw new FatalRow(new RowError(lineBefore, "the header must name the columns "
          + String.join(",", ImportRows.COLUMNS) + " (in any order, each once); found " + String.join(",", names)));
    }
    return columns;
  }

  private static boolean blank(CSVRecord record) {
    return record.size() == 1 && record.get(0).isBlank();
  }

  private static String reason(CSVException e) {
    String message = e.getMessage() == null ? "malformed row" : e.getMessage();
    int at = message.indexOf(" at line");
    return at > 0 ? message.substring(0, at).toLowerCase() : message;
  }
}
