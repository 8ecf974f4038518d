package io.shopmesh.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark's results: a table on stdout and a JSON file under {@code target/bench/}, both with
 * the machine they were measured on. Ratios are reported as the median over rounds with their
 * spread (min..max), because only same-run ratios mean anything on a shared machine.
 */
public final class Report {

  private final String scenario;
  private final JsonObject json = new JsonObject();
  private final JsonArray rows = new JsonArray();
  private final List<String> lines = new ArrayList<>();

  public Report(String scenario, JsonObject settings) {
    this.scenario = scenario;
    json.put("scenario", scenario)
        .put("date", Instant.now().toString())
        .put("machine", new JsonObject()
            .put("cores", Runtime.getRuntime().availableProcessors())
            .put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
            .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
            .put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
        .put("settings", settings)
        .put("results", rows);
  }

  /** One measured value per round; the median and spread are derived. */
  public Report metric(String name, String unit, double[] perRound, String target) {
    double[] sorted = perRound.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    JsonObject row = new JsonObject().put("name", name).put("unit", unit).put("median", median)
        .put("min", sorted[0]).put("max", sorted[sorted.length - 1])
        .put("rounds", new JsonArray(Arrays.stream(perRound).boxed().toList()));
    if (target != null) {
      row.put("target", target);
    }
    rows.add(row);
    lines.add(String.format(Locale.ROOT, "%-44s %12.3f %-6s (%s .. %s)%s", name, median, unit, fmt(sorted[0]),
        fmt(sorted[sorted.length - 1]), target == null ? "" : "   target " + target));
    return this;
  }

  /**
   * A distribution of one value per event (e.g. one stage's duration per order): median, p99 and
   * maximum, where the tail matters more than the spread over rounds.
   */
  public Report distribution(String name, String unit, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
    double max = sorted[sorted.length - 1];
    rows.add(new JsonObject().put("name", name).put("unit", unit).put("median", median).put("p99", p99)
        .put("max", max).put("count", sorted.length));
    lines.add(String.format(Locale.ROOT, "%-44s %12.3f %-6s (p99 %s, max %s, n=%d)", name, median, unit, fmt(p99),
        fmt(max), sorted.length));
    return this;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** Prints the table and writes the JSON; returns the file. */
  public Path publish(Path directory) {
    System.out.println();
    System.out.println("Shopmesh benchmark '" + scenario + "' - " + json.getString("date") + " - "
        + json.getJsonObject("machine").encode());
    System.out.println(String.format(Locale.ROOT, "%-44s %12s %-6s %s", "metric", "median", "unit", "(min .. max over rounds)"));
    lines.forEach(System.out::println);
    try {
      Files.createDirectories(directory);
      String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
      Path file = directory.resolve(scenario + "-" + stamp + ".json");
      Files.writeString(file, json.encodePrettily());
      System.out.println("written to " + file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
