package io.shopmesh.deployment;

import io.shopmesh.testkit.PrometheusText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus series the services export, as far as their code tells: every meter built in the
 * main code of the modules and services (Micrometer's dotted names underscored, with the suffixes
 * the Prometheus registry adds for the meter's type), and the Vert.x HTTP server meters that
 * modules/platform enables. A timer or a distribution summary has {@code _bucket} series only when
 * its builder asks for a histogram ({@code publishPercentileHistogram()} or SLO boundaries):
 * {@code Metrics.registry} adds boundaries to Vert.x's HTTP server timer alone, and Micrometer
 * publishes none by default. modules/e2e's ObservabilityE2ETest checks the same names against the
 * running services' {@code /metrics}.
 */
final class ExportedMetrics {

  private static final Path ROOT = Path.of(System.getProperty("shopmesh.repo.root"));
  private static final Pattern BUILT = Pattern.compile(
      "(Counter|Gauge|Timer|DistributionSummary)\\.builder\\(\\s*\"(shopmesh[._][a-z0-9._]+)\"");
  private static final Pattern HISTOGRAM = Pattern.compile(
      "\\.(?:publishPercentileHistogram\\(\\s*(?:true)?\\s*\\)|serviceLevelObjectives\\()");
  private static final List<String> VERTX_HTTP_SERVER = List.of("vertx_http_server_requests_total",
      "vertx_http_server_response_time_seconds_bucket", "vertx_http_server_response_time_seconds_count",
      "vertx_http_server_response_time_seconds_sum", "vertx_http_server_active_requests");

  private ExportedMetrics() {
  }

  static Set<String> seriesNames() {
    Set<String> names = new LinkedHashSet<>(VERTX_HTTP_SERVER);
    try (Stream<Path> files = Files.walk(ROOT)) {
      files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/")
              && !f.toString().contains("/target/"))
          .forEach(f -> {
            String code = read(f);
            Matcher m = BUILT.matcher(code);
            while (m.find()) {
              names.addAll(series(m.group(1), m.group(2).replace('.', '_'), histogram(code, m.end())));
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  /** The metric names a PromQL expression reads. */
  static Set<String> referencedBy(String expression) {
    return PrometheusText.metricNamesIn(expression);
  }

  /** Whether the builder chain that starts at {@code from} (up to its {@code register}) asks for a histogram. */
  private static boolean histogram(String code, int from) {
    int register = code.indexOf(".register(", from);
    return HISTOGRAM.matcher(code.substring(from, register < 0 ? code.length() : register)).find();
  }

  private static List<String> series(String type, String base, boolean histogram) {
    return switch (type) {
      case "Counter" -> List.of(base + "_total");
      case "Timer" -> distribution(base + "_seconds", histogram);
      case "DistributionSummary" -> distribution(base, histogram);
      default -> List.of(base);
    };
  }

  private static List<String> distribution(String base, boolean histogram) {
    List<String> series = new ArrayList<>(List.of(base + "_count", base + "_sum", base + "_max"));
    if (histogram) {
      series.add(base + "_bucket");
    }
    return series;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
