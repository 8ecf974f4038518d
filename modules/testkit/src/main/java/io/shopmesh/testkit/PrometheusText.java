package io.shopmesh.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of a service's {@code /metrics} (Prometheus text exposition format 0.0.4), parsed into
 * samples, for tests that read a counter or a gauge. Labels are selected with fragments written as
 * in the exposition ({@code upstream="orders"}), so a test reads like the series it expects.
 */
public final class PrometheusText {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+-?\\d+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern SHOPMESH_METRIC = Pattern.compile("\\b((?:shopmesh|vertx)_[a-z0-9_]+)\\b");

  /** One sample: a series (its name and labels) and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  /** Parses a scrape; comment lines ({@code # HELP}, {@code # TYPE}) and blank lines are skipped. */
  public static PrometheusText parse(String scrape) {
    List<Sample> samples = new ArrayList<>();
    for (String line : scrape.split("\n")) {
      Matcher m = SAMPLE.matcher(line.strip());
      if (!line.startsWith("#") && m.matches()) {
        samples.add(new Sample(m.group(1), labels(m.group(2) == null ? "" : m.group(2)), number(m.group(3))));
      }
    }
    return new PrometheusText(List.copyOf(samples));
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The samples of series {@code name} that have every label of {@code fragments}. */
  public List<Sample> series(String name, String... fragments) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (String fragment : fragments) {
      Matcher m = LABEL.matcher(fragment);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a label fragment (key=\"value\"): " + fragment);
      }
      wanted.put(m.group(1), unescape(m.group(2)));
    }
    return samples.stream().filter(s -> s.name().equals(name)
        && wanted.entrySet().stream().allMatch(label -> label.getValue().equals(s.labels().get(label.getKey()))))
        .toList();
  }

  /** The sum of {@link #series}; 0 when there is none (a labelled counter appears on its first increment). */
  public double sum(String name, String... fragments) {
    return series(name, fragments).stream().mapToDouble(Sample::value).sum();
  }

  /** Like {@link #sum}, but a missing series is an error rather than 0. */
  public double value(String name, String... fragments) {
    List<Sample> matching = series(name, fragments);
    if (matching.isEmpty()) {
      throw new AssertionError("no series " + name + " with " + String.join(",", fragments));
    }
    return matching.stream().mapToDouble(Sample::value).sum();
  }

  /** The names of the series in this scrape. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    samples.forEach(s -> names.add(s.name()));
    return names;
  }

  /** The {@code shopmesh_*} and {@code vertx_*} metric names that PromQL text (a rule, a dashboard) reads. */
  public static Set<String> metricNamesIn(String promql) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = SHOPMESH_METRIC.matcher(promql);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    Matcher m = LABEL.matcher(text);
    while (m.find()) {
      labels.put(m.group(1), unescape(m.group(2)));
    }
    return labels;
  }

  /** Label values escape a backslash, a double quote and a line feed with a backslash. */
  private static String unescape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        char next = value.charAt(++i);
        out.append(next == 'n' ? '\n' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static double number(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(value);
    };
  }
}
