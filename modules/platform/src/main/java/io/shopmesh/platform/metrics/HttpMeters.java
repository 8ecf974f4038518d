package io.shopmesh.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsNaming;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP request meters of one side (server or client) of one process, under Vert.x's names and
 * labels ({@code vertx_http_server_requests_total{method,route,code}}, ...), each resolved once
 * per label set and kept. Vert.x's own implementation looks every meter up in the registry on
 * every request (five lookups and three tag merges per server request, six and two per client
 * request), which was a tenth of the gateway's event-loop time.
 */
final class HttpMeters {

  private static final Set<HttpMethod> STANDARD = Set.copyOf(HttpMethod.values());
  private static final HttpMethod OTHER = HttpMethod.valueOf("OTHER");

  private final MeterRegistry registry;
  private final MetricsNaming names;
  private final boolean server;
  private final ConcurrentMap<HttpMethod, ByMethod> methods = new ConcurrentHashMap<>();

  /** @param server whether these are the server's meters ({@code vertx.http.server.*}) or the client's */
  HttpMeters(MeterRegistry registry, boolean server) {
    this.registry = registry;
    this.server = server;
    this.names = MetricsNaming.v4Names().withBaseName(server ? "vertx.http.server." : "vertx.http.client.");
  }

  /**
   * The meters of {@code method}; methods outside the standard set share the label {@code OTHER}
   * (a client may send any token as a method, and each would be a new series).
   */
  ByMethod method(HttpMethod method) {
    ByMethod meters = methods.get(method);
    if (meters != null) {
      return meters;
    }
    return methods.computeIfAbsent(STANDARD.contains(method) ? method : OTHER, ByMethod::new);
  }

  /** The meters of one request method, and of its answers by route and status. */
  final class ByMethod {

    private final Tags tags;
    final LongAdder active = new LongAdder();
    final DistributionSummary requestBytes;
    /** Client only: requests sent (the server counts requests when they are answered). */
    final Counter sent;
    /** Server only: requests reset by the client. */
    final Counter resets;
    private final ConcurrentMap<Answer, ByAnswer> answers = new ConcurrentHashMap<>();

    private ByMethod(HttpMethod method) {
      this.tags = Tags.of(Label.HTTP_METHOD.toString(), method.name());
      Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue)
          .description(server ? "Number of requests being processed" : "Number of requests waiting for a response")
          .tags(tags).strongReference(true).register(registry);
      requestBytes = DistributionSummary.builder(names.getHttpRequestBytes()).description("Size of requests in bytes")
          .tags(tags).register(registry);
      sent = server ? null : Counter.builder(names.getHttpRequestsCount()).description("Number of requests sent")
          .tags(tags).register(registry);
      resets = server ? Counter.builder(names.getHttpRequestResetsCount()).description("Number of request resets")
          .tags(tags).register(registry) : null;
    }

    /**
     * @param route  the route template that served the request (server), null for none (client)
     * @param status the response status, or -1 when the request ended without one (no {@code code} label then)
     */
    ByAnswer answer(String route, int status) {
      Answer key = new Answer(route, status);
      ByAnswer meters = answers.get(key);
      return meters != null ? meters : answers.computeIfAbsent(key, this::answerMeters);
    }

    private ByAnswer answerMeters(Answer answer) {
      Tags answerTags = tags;
      if (answer.route != null) {
        answerTags = answerTags.and(Label.HTTP_ROUTE.toString(), answer.route);
      }
      if (answer.status >= 0) {
        answerTags = answerTags.and(Label.HTTP_CODE.toString(), Integer.toString(answer.status));
      }
      return new ByAnswer(
          Counter.builder(server ? names.getHttpRequestsCount() : names.getHttpResponsesCount())
              .description(server ? "Number of processed requests" : "Response count with codes")
              .tags(answerTags).register(registry),
          Timer.builder(names.getHttpResponseTime())
              .description(server ? "Request processing time" : "Response time")
              .tags(answerTags).register(registry),
          DistributionSummary.builder(names.getHttpResponseBytes()).description("Size of responses in bytes")
              .tags(answerTags).register(registry));
    }
  }

  private record Answer(String route, int status) {
  }

  /** The meters of the answers with one route and status. */
  record ByAnswer(Counter count, Timer time, DistributionSummary bytes) {

    void record(long startNanos, long bytes) {
      count.increment();
      time.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
      this.bytes.record(bytes);
    }
  }

  /**
   * One request in flight. It stops counting as active when both its request and its response
   * have ended, or when it is reset (Vert.x's rule).
   */
  static final class Exchange {

    final ByMethod meters;
    final long startNanos = System.nanoTime();
    String route;
    int status = -1;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    Exchange(ByMethod meters) {
      this.meters = meters;
      meters.active.increment();
    }

    void requestEnded() {
      requestEnded = true;
      if (!reset && responseEnded) {
        meters.active.decrement();
      }
    }

    void responseEnded() {
      responseEnded = true;
      if (!reset && requestEnded) {
        meters.active.decrement();
      }
    }

    void reset() {
      if (!reset && !(requestEnded && responseEnded)) {
        reset = true;
        meters.active.decrement();
      }
    }
  }
}
