package io.shopmesh.platform.tracing;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopmesh.platform.config.ConfigException;
import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.config.TracingConfig;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.logging.LogContext;
import io.shopmesh.platform.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A traced service: spans per request, ids in the log scope, propagation, export only when configured. */
class TracingTest {

  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  private final Vertx collector = Vertx.vertx();
  private final AtomicInteger exports = new AtomicInteger();
  private final Map<String, LogContext.Scope> seen = new ConcurrentHashMap<>();
  private Tracing tracing;
  private Vertx vertx;
  private ServiceContext service;
  private PrometheusMeterRegistry registry;
  private WebClient client;

  @AfterEach
  void stop() {
    if (service != null) {
      service.shutdown().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (tracing != null) {
      tracing.close(Duration.ofSeconds(5));
    }
    collector.close().await();
  }

  @Test
  @DisplayName("a request continues its caller's trace: the handler, its end and its outgoing calls log the server"
      + " span's ids, and the spans reach the configured OTLP endpoint")
  void requestSpans() {
    HttpServer receiver = collector.createHttpServer().requestHandler(r -> {
      if (r.path().equals("/v1/traces")) {
        exports.incrementAndGet();
      }
      r.response().end();
    }).listen(0, "127.0.0.1").await();
    start(new TracingConfig("http://127.0.0.1:" + receiver.actualPort(), 1.0));

    var response = client.get("/things/42").putHeader("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
        .send().await();

    assertThat(response.statusCode()).isEqualTo(200);
    LogContext.Scope handler = seen.get("handler");
    assertThat(handler.traceId()).as("the caller's trace").isEqualTo(CALLER_TRACE);
    assertThat(handler.spanId()).as("the server span, a child of the caller's").matches("[0-9a-f]{16}")
        .isNotEqualTo(CALLER_SPAN);
    assertThat(handler.requestId()).isNotNull();
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.containsKey("end"));
    assertThat(seen.get("end")).as("the end of the request logs as its handler did").isEqualTo(handler);
    assertThat(response.bodyAsString()).as("outgoing traceparent: same trace, the server span as parent")
        .isEqualTo("00-" + CALLER_TRACE + "-" + handler.spanId() + "-01");
    assertThat(registry.scrape()).as("route label is the template")
        .contains("route=\"/things/:id\"").doesNotContain("route=\"/things/42\"");
    await().atMost(Duration.ofSeconds(10)).until(() -> exports.get() > 0);
  }

  @Test
  @DisplayName("with no endpoint nothing is recorded, whatever the ratio, but every request still has trace ids in"
      + " its log scope")
  void idsWithoutExport() {
    start(Tracing.create("trace-test"), new TracingConfig("", 1.0));

    client.get("/things/1").send().await();

    LogContext.Scope handler = seen.get("handler");
    assertThat(handler.traceId()).matches("[0-9a-f]{32}");
    assertThat(handler.spanId()).matches("[0-9a-f]{16}");
    assertThat(client.get("/things/2").send().await().bodyAsString()).as("not sampled: flags 00").endsWith("-00");
  }

  @Test
  @DisplayName("at the edge a client's sampled flag does not force recording: its trace id is kept, the decision is"
      + " the configured ratio's")
  void edgeDecidesSampling() {
    start(Tracing.atEdge("trace-test"), new TracingConfig("http://127.0.0.1:9", 0.0));

    String forced = client.get("/things/3").putHeader("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
        .send().await().bodyAsString();

    assertThat(forced).as("same trace, not sampled").startsWith("00-" + CALLER_TRACE + "-").endsWith("-00");
  }

  @Test
  @DisplayName("inside the mesh a caller's sampled flag is followed, so a trace is kept whole")
  void innerServiceFollowsCaller() {
    start(Tracing.create("trace-test"), new TracingConfig("http://127.0.0.1:9", 0.0));

    String followed = client.get("/things/4").putHeader("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
        .send().await().bodyAsString();

    assertThat(followed).startsWith("00-" + CALLER_TRACE + "-").endsWith("-01");
  }

  @Test
  @DisplayName("tracing keys are validated like every other key")
  void config() {
    assertThat(TracingConfig.from(Settings.of(new JsonObject()))).isEqualTo(new TracingConfig("", 1.0));
    TracingConfig given = TracingConfig.from(Settings.of(new JsonObject().put("tracing", new JsonObject()
        .put("otlpEndpoint", "http://collector:4318").put("samplingRatio", "0.25"))));
    assertThat(given.tracesUrl()).isEqualTo("http://collector:4318/v1/traces");
    assertThat(new TracingConfig("http://c:4318/v1/traces", 1).tracesUrl()).isEqualTo("http://c:4318/v1/traces");
    assertThat(given.samplingRatio()).isEqualTo(0.25);
    for (JsonObject bad : List.of(new JsonObject().put("samplingRatio", 1.5),
        new JsonObject().put("samplingRatio", "most"), new JsonObject().put("otlpEndpoint", "collector:4318"))) {
      assertThatThrownBy(() -> TracingConfig.from(Settings.of(new JsonObject().put("tracing", bad))))
          .isInstanceOf(ConfigException.class).hasMessageContaining("tracing.");
    }
  }

  private void start(TracingConfig config) {
    start(Tracing.create("trace-test"), config);
  }

  private void start(Tracing created, TracingConfig config) {
    tracing = created;
    registry = Metrics.registry("trace-test");
    vertx = Metrics.vertx(registry, new VertxOptions(), tracing.vertxTracer());
    tracing.configure(config);
    Settings settings = Settings.of(new JsonObject().put("http", new JsonObject().put("port", 0).put("instances", 1)));
    service = new ServiceContext("trace-test", vertx, settings, registry);
    HttpConfig http = HttpConfig.from(settings, 0);
    int port = service.serveHttp(http, v -> service.router(v, http).routes(router -> router.get("/things/:id")
        .handler(ctx -> {
          seen.put("handler", LogContext.current());
          ctx.addEndHandler(ended -> seen.put("end", LogContext.current()));
          ctx.end(Traces.traceparent());
        })).build()).await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"));
  }
}
