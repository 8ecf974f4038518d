package io.shopmesh.inventory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bulk imports: correctness of a large file with bad lines, the limits, and the catalog staying responsive. */
@ExtendWith(InfraExtension.class)
class ImportTest {

  private static final int ROWS = 100_000;
  private static final String HEADER = "sku,name,description,priceCents,currency,stock\n";
  private static InventoryFixture inventory;
  private static ListAppender<ILoggingEvent> blockedThreads;
  private static Logger checker;

  @BeforeAll
  static void start(TestEnv env) {
    checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    blockedThreads = new ListAppender<>();
    blockedThreads.start();
    checker.addAppender(blockedThreads);
    inventory = InventoryFixture.start(env, new JsonObject().put("imports", new JsonObject()
        .put("maxBytes", "16mb").put("maxConcurrent", 1).put("retryAfter", "7s").put("batchSize", 500)));
  }

  @AfterAll
  static void stop() {
    inventory.close();
    checker.detachAppender(blockedThreads);
  }

  private static HttpResponse<Buffer> upload(String contentType, Buffer body, String token) {
    var request = inventory.request(HttpMethod.POST, "/api/products/import").putHeader("Content-Type", contentType);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.sendBuffer(body).await();
  }

  /** Uploads as admin, expects 202 and returns the job's status URL. */
  private static String accepted(String contentType, String body) {
    HttpResponse<Buffer> response = upload(contentType, Buffer.buffer(body), inventory.adminToken());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    String jobId = response.bodyAsJsonObject().getString("jobId");
    assertThat(response.getHeader("Location")).isEqualTo("/api/imports/" + jobId);
    return response.getHeader("Location");
  }

  private static JsonObject status(String location) {
    HttpResponse<Buffer> response = inventory.get(location, inventory.adminToken());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static JsonObject finished(String location) {
    return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> status(location), job -> !job.getString("state").equals("RUNNING"));
  }

  /** A CSV file of {@code ROWS} data rows; some are bad, some descriptions span two lines. */
  private record BigFile(String text, List<JsonObject> expectedErrors, int good) {

    static BigFile create() {
      StringBuilder csv = new StringBuilder(ROWS * 80).append(HEADER);
      List<JsonObject> errors = new ArrayList<>();
      long line = 1;
      for (int i = 1; i <= ROWS; i++) {
        long start = ++line;
        String sku = String.format("IMP-%06d", i);
        if (i % 4000 == 0) {
          String message = switch ((i / 4000) % 6) {
            case 0 -> append(csv, "imp-lower," + "Bad sku,,100,EUR,1\n", "sku: must match");
            case 1 -> append(csv, sku + ",Negative,,-5,EUR,1\n", "priceCents: must be an integer between 0");
            case 2 -> append(csv, sku + ",Unknown currency,,100,XXX,1\n", "currency: must be one of");
            case 3 -> append(csv, sku + ",Stock,,100,EUR,lots\n", "stock: must be an integer, got 'lots'");
            case 4 -> append(csv, sku + ",Short row,100,EUR,1\n", "expected 6 columns, found 5");
            default -> append(csv, "IMP-000001,Duplicate,,100,EUR,1\n", "sku IMP-000001 already appears on line 2");
          };
          errors.add(new JsonObject().put("line", start).put("message", message));
        } else if (i % 1000 == 0) {
          csv.append(sku).append(",Two-line product ").append(i).append(",\"first line\nsecond line\",")
              .append(i).append(",EUR,").append(i % 50).append('\n');
          line++;
        } else {
          csv.append(sku).append(",Product ").append(i).append(",An imported product,").append(100 + i % 5000)
              .append(",EUR,").append(i % 100).append('\n');
        }
      }
      return new BigFile(csv.toString(), errors, ROWS - errors.size());
    }

    private static String append(StringBuilder csv, String row, String message) {
      csv.append(row);
      return message;
    }
  }

  /** {@code GET /api/products} one request after another until {@code until} says stop; latencies in micros. */
  private static List<Long> probeCatalog(int max, java.util.function.BooleanSupplier until) {
    List<Long> micros = new ArrayList<>();
    while (micros.size() < max && !until.getAsBoolean()) {
      long start = System.nanoTime();
      HttpResponse<Buffer> response = inventory.get("/api/products?limit=20");
      micros.add((System.nanoTime() - start) / 1000);
      assertThat(response.statusCode()).isEqualTo(200);
    }
    return micros;
  }

  private static void print(String when, List<Long> micros) {
    System.out.printf("GET /api/products %-24s %6d requests, p50 %6.2f ms, p99 %6.2f ms, max %7.2f ms%n", when + ":",
        micros.size(), percentileMillis(micros, 50), percentileMillis(micros, 99), percentileMillis(micros, 100));
  }

  private static double percentileMillis(List<Long> micros, double p) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1000.0;
  }

  @Test
  @DisplayName("an import of 100,000 CSV rows with bad lines completes with correct counts and line-numbered "
      + "errors, a second import meanwhile gets 503, and the catalog keeps answering without blocked threads")
  void bigImport() {
    for (int i = 0; i < 50; i++) {
      inventory.create(String.format("CAT-%03d", i), "Catalog product " + i, 999, "EUR", 10);
    }
    BigFile file = BigFile.create();
    probeCatalog(2000, () -> false);
    List<Long> idleBefore = probeCatalog(3000, () -> false);

    long started = System.nanoTime();
    String location = accepted("text/csv; charset=utf-8", file.text());
    HttpResponse<Buffer> second = upload("text/csv", Buffer.buffer(HEADER + "SECOND-1,x,,1,EUR,1\n"),
        inventory.adminToken());
    // refused before its body is read: the answer comes although only the head of a 10 MB upload was sent
    HttpClient raw = inventory.clientVertx().createHttpClient();
    JsonObject headOnly = raw.request(HttpMethod.POST, inventory.port(), "127.0.0.1", "/api/products/import")
        .compose(request -> {
          request.putHeader("Content-Type", "text/csv").putHeader("Content-Length", "10000000")
              .putHeader("Authorization", "Bearer " + inventory.adminToken()).write(HEADER);
          return request.response().map(response -> new JsonObject().put("status", response.statusCode())
              .put("retryAfter", response.getHeader("Retry-After")));
        }).timeout(20, TimeUnit.SECONDS).await();
    raw.close().await();
    int[] polls = {0};
    boolean[] done = {false};
    List<Long> during = probeCatalog(Integer.MAX_VALUE, () -> {
      if (++polls[0] % 25 == 0) {
        done[0] = !status(location).getString("state").equals("RUNNING");
      }
      return done[0];
    });
    JsonObject job = finished(location);
    long importMillis = (System.nanoTime() - started) / 1_000_000;
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> inventory.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    long relayedMillis = (System.nanoTime() - started) / 1_000_000;
    List<Long> idleAfter = probeCatalog(3000, () -> false);
    List<Long> idle = new ArrayList<>(idleBefore);
    idle.addAll(idleAfter);

    System.out.printf("import of %d rows (%.1f MB) took %d ms: %s rows read, %s imported, %s errors%n", ROWS,
        file.text().length() / 1e6, importMillis, job.getInteger("rowsRead"), job.getInteger("rowsImported"),
        job.getInteger("errorCount"));
    System.out.printf("every ProductUpserted was published to Kafka %d ms after the upload%n", relayedMillis);
    print("idle, before the import", idleBefore);
    print("idle, after the import", idleAfter);
    print("idle, both", idle);
    print("during the import", during);
    System.out.printf("p99 during / p99 idle = %.2f%n", percentileMillis(during, 99) / percentileMillis(idle, 99));

    assertThat(second.statusCode()).as("a second import while one runs: %s", second.bodyAsString()).isEqualTo(503);
    assertThat(second.getHeader("Retry-After")).isEqualTo("7");
    assertThat(headOnly.getInteger("status")).as("an upload of which only the head came, meanwhile").isEqualTo(503);
    assertThat(headOnly.getString("retryAfter")).isEqualTo("7");
    assertThat(job.getString("state")).isEqualTo("COMPLETED");
    assertThat(job.getInteger("rowsRead")).isEqualTo(ROWS);
    assertThat(job.getInteger("rowsImported")).isEqualTo(file.good());
    assertThat(job.getInteger("errorCount")).isEqualTo(file.expectedErrors().size());
    assertThat(job.getString("startedAt")).isNotNull();
    assertThat(job.getString("finishedAt")).isNotNull();
    List<JsonObject> errors = job.getJsonArray("errors").stream().map(JsonObject.class::cast).toList();
    assertThat(errors).extracting(e -> e.getLong("line"))
        .containsExactlyElementsOf(file.expectedErrors().stream().map(e -> e.getLong("line")).toList());
    for (int i = 0; i < errors.size(); i++) {
      assertThat(errors.get(i).getString("message")).startsWith(file.expectedErrors().get(i).getString("message"));
    }
    assertThat(inventory.count("SELECT count(*) FROM products WHERE sku LIKE 'IMP-%'")).isEqualTo(file.good());
    assertThat(inventory.query("SELECT description FROM products WHERE sku = 'IMP-001000'").get(0).getString(0))
        .isEqualTo("first line\nsecond line");
    assertThat(inventory.count("SELECT count(*) FROM stock_balance WHERE NOT balanced")).isZero();
    assertThat(inventory.count("SELECT count(*) FROM outbox WHERE type = 'ProductUpserted' AND aggregate_id LIKE "
        + "'IMP-%'")).isEqualTo(file.good());
    assertThat(blockedThreads.list).as("Vert.x blocked-thread warnings").isEmpty();
    assertThat(percentileMillis(during, 99)).as("the catalog answered during the import").isPositive();
  }

  @Test
  @DisplayName("an NDJSON import creates and updates products, reports bad lines, and importing it again changes "
      + "nothing")
  void ndjsonImport() {
    inventory.create("ND-EXISTING", "Old name", 100, "EUR", 10);
    String ndjson = """
        {"sku":"ND-NEW","name":"New","description":"fresh","priceCents":250,"currency":"EUR","stock":4}
        {"sku":"ND-EXISTING","name":"New name","priceCents":120,"currency":"EUR","stock":3}
        {"sku":"ND-BAD","name":"Bad","priceCents":"250","currency":"EUR","stock":4}
        """;
    JsonObject job = finished(accepted("application/x-ndjson", ndjson));
    assertThat(job.getString("state")).isEqualTo("COMPLETED");
    assertThat(job.getInteger("rowsRead")).isEqualTo(3);
    assertThat(job.getInteger("rowsImported")).isEqualTo(2);
    assertThat(job.getJsonArray("errors").getJsonObject(0)).isEqualTo(new JsonObject().put("line", 3)
        .put("message", "field 'priceCents': expected an integer in range"));
    assertThat(inventory.get("/api/products/ND-EXISTING").bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("sku", "ND-EXISTING").put("name", "New name").put("description", "").put("priceCents", 120)
        .put("currency", "EUR").put("available", 3));
    assertThat(inventory.query("SELECT kind, delta FROM stock_ledger WHERE sku = 'ND-EXISTING' ORDER BY id"))
        .extracting(r -> r.getString(0) + " " + r.getInteger(1)).containsExactly("INITIAL 10", "ADJUSTMENT -7");

    long events = inventory.count("SELECT count(*) FROM outbox WHERE aggregate_id LIKE 'ND-%'");
    JsonObject again = finished(accepted("application/x-ndjson", ndjson));
    assertThat(again.getInteger("rowsImported")).isEqualTo(2);
    assertThat(inventory.count("SELECT count(*) FROM outbox WHERE aggregate_id LIKE 'ND-%'"))
        .as("unchanged products publish nothing").isEqualTo(events);
    assertThat(inventory.count("SELECT count(*) FROM stock_balance WHERE NOT balanced")).isZero();
  }

  @Test
  @DisplayName("an import needs an admin (401, 403), a CSV or NDJSON body (415, 400) within the size limit (413), "
      + "a header naming the columns (FAILED at line 1), and unknown jobs are 404")
  void limits() {
    Buffer small = Buffer.buffer(HEADER + "LIM-1,x,,1,EUR,1\n");
    assertThat(upload("text/csv", small, null).statusCode()).isEqualTo(401);
    assertThat(upload("text/csv", small, inventory.customerToken()).statusCode()).isEqualTo(403);
    assertThat(upload("application/json", small, inventory.adminToken()).statusCode()).isEqualTo(415);
    assertThat(upload("text/csv; charset=iso-8859-1", small, inventory.adminToken()).statusCode()).isEqualTo(415);
    assertThat(upload("text/csv", Buffer.buffer(), inventory.adminToken()).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> tooLarge = upload("text/csv", Buffer.buffer(new byte[17 * 1024 * 1024]),
        inventory.adminToken());
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.getHeader("Content-Type")).isEqualTo("application/problem+json");

    JsonObject badHeader = finished(accepted("text/csv", "sku,title,price\nLIM-2,x,1\n"));
    assertThat(badHeader.getString("state")).isEqualTo("FAILED");
    assertThat(badHeader.getInteger("rowsImported")).isZero();
    assertThat(badHeader.getJsonArray("errors").getJsonObject(0).getInteger("line")).isEqualTo(1);
    assertThat(badHeader.getJsonArray("errors").getJsonObject(0).getString("message"))
        .contains("sku,name,description,priceCents,currency,stock");

    assertThat(inventory.get("/api/imports/" + java.util.UUID.randomUUID(), inventory.adminToken()).statusCode())
        .isEqualTo(404);
    assertThat(inventory.get("/api/imports/not-a-uuid", inventory.adminToken()).statusCode()).isEqualTo(404);
  }
}
