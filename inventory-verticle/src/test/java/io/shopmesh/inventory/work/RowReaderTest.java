package io.shopmesh.inventory.work;

import io.shopmesh.inventory.domain.ImportRow;
import io.shopmesh.inventory.domain.NewProduct;
import io.shopmesh.inventory.domain.RowError;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RowReaderTest {

  private static final String HEADER = "sku,name,description,priceCents,currency,stock\n";

  private static List<ImportBatch> readAll(ImportFormat format, String text, int batchSize) {
    return readAll(format, Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)), batchSize);
  }

  private static List<ImportBatch> readAll(ImportFormat format, Buffer body, int batchSize) {
    RowReader reader = RowReader.open(format, body);
    List<ImportBatch> batches = new ArrayList<>();
    ImportBatch batch;
    do {
      batch = reader.next(batchSize);
      batches.add(batch);
    } while (!batch.last());
    return batches;
  }

  private static List<ImportRow> rows(List<ImportBatch> batches) {
    return batches.stream().flatMap(b -> b.rows().stream()).toList();
  }

  private static List<RowError> errors(List<ImportBatch> batches) {
    return batches.stream().flatMap(b -> b.errors().stream()).toList();
  }

  @Test
  @DisplayName("CSV rows carry the line they start on, counting quoted line breaks, blank lines and the header")
  void csvLines() {
    String csv = "\uFEFF" + HEADER
        + "A1,\"say \"\"hi\"\"\",\"multi\nline, with comma\",100,EUR,1\r\n"
        + "\n"
        + "B2,Plain,,200,USD,2\n"
        + "C3,Last,no newline,300,GBP,3";
    List<ImportBatch> batches = readAll(ImportFormat.CSV, csv, 2);
    assertThat(rows(batches)).containsExactly(
        new ImportRow(2, new NewProduct("A1", "say \"hi\"", "multi\nline, with comma", 100, "EUR", 1)),
        new ImportRow(5, new NewProduct("B2", "Plain", "", 200, "USD", 2)),
        new ImportRow(6, new NewProduct("C3", "Last", "no newline", 300, "GBP", 3)));
    assertThat(batches).extracting(ImportBatch::rowsRead).containsExactly(2, 1);
    assertThat(errors(batches)).isEmpty();
  }

  @Test
  @DisplayName("bad CSV rows are reported by line and skipped, and reading goes on after broken quoting")
  void csvErrors() {
    String csv = HEADER
        + "A1,Good,,100,EUR,1\n"
        + "bad sku,Name,,100,EUR,1\n"
        + "C3,\"broken\"quote,x,100,EUR,1\n"
        + "D4,Too,few,100,EUR\n"
        + "E5,Good,,-1,XXX,1\n"
        + "A1,Again,,100,EUR,1\n"
        + "F6,\"tail\"x\n"
        + "G7,Good,,100,EUR,7";
    List<ImportBatch> batches = readAll(ImportFormat.CSV, csv, 100);
    assertThat(rows(batches)).extracting(ImportRow::line).containsExactly(2L, 9L);
    assertThat(errors(batches)).extracting(RowError::line).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(errors(batches).get(0).message()).startsWith("sku: must match");
    assertThat(errors(batches).get(1).message()).startsWith("not valid CSV: invalid character");
    assertThat(errors(batches).get(2).message()).isEqualTo("expected 6 columns, found 5");
    assertThat(errors(batches).get(3).message()).contains("priceCents: must be an integer between 0")
        .contains("currency: must be one of");
    assertThat(errors(batches).get(4).message()).isEqualTo("sku A1 already appears on line 2; a file may hold each "
        + "sku once");
    assertThat(batches.get(0).rowsRead()).isEqualTo(8);
    assertThat(batches.get(0).fatal()).isEmpty();
  }

  @Test
  @DisplayName("a CSV header may order the columns freely but must name each exactly once")
  void csvHeader() {
    List<ImportBatch> reordered = readAll(ImportFormat.CSV, "stock,currency,priceCents,description,name,sku\n"
        + "4,EUR,100,d,N,A1\n", 10);
    assertThat(rows(reordered)).containsExactly(new ImportRow(2, new NewProduct("A1", "N", "d", 100, "EUR", 4)));

    List<ImportBatch> wrong = readAll(ImportFormat.CSV, "sku,name,price\nA1,N,1\n", 10);
    assertThat(wrong).hasSize(1);
    assertThat(wrong.get(0).fatal()).hasValueSatisfying(error -> {
      assertThat(error.line()).isEqualTo(1);
      assertThat(error.message()).contains("the header must name the columns");
    });
    assertThat(readAll(ImportFormat.CSV, "", 10).get(0).fatal()).isPresent();
  }

  @Test
  @DisplayName("a file that is not UTF-8 stops being read where the bad bytes are")
  void notUtf8() {
    Buffer body = Buffer.buffer(HEADER + "A1,Good,,100,EUR,1\n").appendBytes(new byte[] {'B', '2', ',', (byte) 0xC3,
        (byte) 0x28, ',', ',', '1', ',', 'E', 'U', 'R', ',', '1', '\n'});
    List<ImportBatch> batches = readAll(ImportFormat.CSV, body, 100);
    assertThat(batches.get(batches.size() - 1).fatal()).map(RowError::message)
        .hasValueSatisfying(m -> assertThat(m).contains("not valid UTF-8"));
  }

  @Test
  @DisplayName("NDJSON lines are decoded strictly and numbered as in the file")
  void ndjson() {
    String ndjson = """
        {"sku":"A1","name":"Mug","priceCents":100,"currency":"EUR","stock":1}

        {"sku":"B2","name":"Cup","priceCents":1.5,"currency":"EUR","stock":1}
        {"sku":"C3","name":"Hat","priceCents":100,"currency":"EUR","stock":1,"color":"red"}
        not json
        {"sku":"D4","name":"Tea","description":"green","priceCents":250,"currency":"CHF","stock":9}
        """;
    List<ImportBatch> batches = readAll(ImportFormat.NDJSON, ndjson, 100);
    assertThat(rows(batches)).containsExactly(
        new ImportRow(1, new NewProduct("A1", "Mug", "", 100, "EUR", 1)),
        new ImportRow(6, new NewProduct("D4", "Tea", "green", 250, "CHF", 9)));
    assertThat(errors(batches)).extracting(RowError::line).containsExactly(3L, 4L, 5L);
    assertThat(errors(batches).get(1).message()).isEqualTo("unknown field 'color'");
    assertThat(batches.get(0).rowsRead()).isEqualTo(5);
  }

  @Test
  @DisplayName("content types name the format; other charsets than UTF-8 are refused")
  void formats() {
    assertThat(ImportFormat.of("text/csv")).contains(ImportFormat.CSV);
    assertThat(ImportFormat.of("Text/CSV; charset=UTF-8")).contains(ImportFormat.CSV);
    assertThat(ImportFormat.of("application/x-ndjson")).contains(ImportFormat.NDJSON);
    assertThat(ImportFormat.of("text/csv; charset=latin1")).isEqualTo(Optional.empty());
    assertThat(ImportFormat.of("application/json")).isEqualTo(Optional.empty());
    assertThat(ImportFormat.of(null)).isEqualTo(Optional.empty());
  }
}
