package io.shopmesh.platform.config;

import java.net.URI;
import java.util.Locale;

/**
 * Where a service sends its spans and how many traces it keeps.
 *
 * @param otlpEndpoint  base URL of an OTLP/HTTP receiver (e.g. {@code http://otel-collector:4318}); spans go to
 *                      {@code <otlpEndpoint>/v1/traces}. Empty: nothing is exported, but trace ids are still
 *                      created, propagated to the next service and written into the logs
 * @param samplingRatio share of new traces recorded, 0 to 1; a request or event that arrives with a trace
 *                      context follows its caller's decision (parent-based), so a trace is kept whole or not at all
 */
public record TracingConfig(String otlpEndpoint, double samplingRatio) {

  private static final String TRACES_PATH = "/v1/traces";

  public static TracingConfig from(Settings s) {
    String endpoint = s.parsed("tracing.otlpEndpoint", "", "an http(s) URL such as http://otel-collector:4318",
        TracingConfig::endpoint);
    double ratio = s.parsed("tracing.samplingRatio", 1.0, "a number from 0 to 1 such as 0.1", text -> {
      double value = Double.parseDouble(text);
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("out of range");
      }
      return value;
    });
    return new TracingConfig(endpoint, ratio);
  }

  public boolean exports() {
    return !otlpEndpoint.isEmpty();
  }

  /** The URL spans are posted to: the endpoint with {@code /v1/traces} appended unless it already ends so. */
  public String tracesUrl() {
    String base = otlpEndpoint.endsWith("/") ? otlpEndpoint.substring(0, otlpEndpoint.length() - 1) : otlpEndpoint;
    return base.endsWith(TRACES_PATH) ? base : base + TRACES_PATH;
  }

  private static String endpoint(String text) {
    if (text.isEmpty()) {
      return text;
    }
    URI uri = URI.create(text);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("not an http(s) URL");
    }
    return text;
  }
}
