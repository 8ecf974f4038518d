package io.shopmesh.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What each injected fault cost the clients, collected over the test JVM: printed as a table to
 * the test output and written to {@code target/fault-report.json} after every fault, so a run
 * that fails half-way still leaves the numbers of what it survived.
 */
final class FaultReport {

  private static final Logger LOG = LoggerFactory.getLogger(FaultReport.class);
  private static final List<Row> ROWS = new ArrayList<>();
  private static final List<JsonObject> SOAKS = new ArrayList<>();
  private static final Path FILE = Path.of("target", "fault-report.json");

  private FaultReport() {
  }

  /**
   * One fault as the clients lived it.
   *
   * @param fault           what was done (e.g. {@code kill -9 orders})
   * @param requests        orders the client placed while the fault was measured
   * @param clientErrors    failed tries a client saw (5xx, 429, timeouts, refused connections); each was retried
   * @param retried         orders (of {@code requests}) that needed at least one retry
   * @param unanswered      orders whose client gave up without any answer
   * @param heldMs          from the fault to its healing (a restart begun, the network back, SIGCONT; 0 for a
   *                        SIGKILLed service, which its supervisor restarts)
   * @param outageMs        from the fault to the end of the last failed try (0: clients saw nothing)
   * @param recoveryMs      from the healing to the whole mesh being healthy and routable again
   * @param maxSagaMs       the longest an order placed meanwhile waited for inventory's decision
   * @param invariantsHeld  whether every post-fault check passed (see {@link Invariants})
   */
  record Row(String fault, int requests, int clientErrors, int retried, int unanswered, long heldMs, long outageMs,
             long recoveryMs, long maxSagaMs, boolean invariantsHeld, String note) {

    JsonObject toJson() {
      return new JsonObject().put("fault", fault).put("requests", requests).put("clientErrors", clientErrors)
          .put("ordersRetried", retried).put("unanswered", unanswered).put("faultHeldMs", heldMs)
          .put("clientOutageMs", outageMs).put("recoveryMs", recoveryMs).put("maxSagaMs", maxSagaMs)
          .put("invariantsHeld", invariantsHeld).put("note", note);
    }
  }

  static synchronized void add(Row row) {
    ROWS.add(row);
    write();
    LOG.info("fault report so far:\n{}", table());
  }

  /** The soak's numbers, next to the faults. */
  static synchronized void addSoak(JsonObject soak) {
    SOAKS.add(soak);
    write();
    LOG.info("soak: {}", soak.encodePrettily());
  }

  static synchronized String table() {
    StringBuilder out = new StringBuilder(String.format("%-44s %7s %7s %7s %10s %8s %10s %11s %9s %4s%n", "fault",
        "orders", "errors", "retried", "unanswered", "held ms", "outage ms", "recovery ms", "max saga", "ok"));
    for (Row r : ROWS) {
      out.append(String.format("%-44s %7d %7d %7d %10d %8d %10d %11d %9d %4s%n", r.fault(), r.requests(),
          r.clientErrors(), r.retried(), r.unanswered(), r.heldMs(), r.outageMs(), r.recoveryMs(), r.maxSagaMs(),
          r.invariantsHeld() ? "yes" : "NO"));
    }
    return out.toString();
  }

  private static void write() {
    JsonObject report = new JsonObject().put("writtenAt", Instant.now().toString())
        .put("faults", new JsonArray(ROWS.stream().map(Row::toJson).toList()))
        .put("soak", new JsonArray(new ArrayList<>(SOAKS)));
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, report.encodePrettily() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + FILE.toAbsolutePath(), e);
    }
  }
}
