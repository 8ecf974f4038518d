package io.shopmesh.platform.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP request meters (recorded by {@link MeteredHttp} instead of Vert.x's implementation)
 * keep Vert.x's names and labels and count what really crossed the server and the client.
 */
class HttpMetricsTest {

  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  private PrometheusMeterRegistry registry;
  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;
  private final AtomicReference<Promise<Void>> held = new AtomicReference<>();

  @BeforeEach
  void start() {
    registry = Metrics.registry("metered");
    vertx = Metrics.vertx(registry, new VertxOptions());
    Router router = Router.router(vertx);
    router.get("/things/:id").handler(ctx -> ctx.response().end("thing " + ctx.pathParam("id")));
    router.post("/things").handler(ctx -> ctx.request().body().onSuccess(body ->
        ctx.response().setStatusCode(201).end("created " + body.length())));
    router.get("/slow").handler(this::hold);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("server requests are counted and timed by method, route template and status; request and response sizes recorded")
  void serverMeters() {
    for (int i = 0; i < 3; i++) {
      assertThat(send(HttpMethod.GET, "/things/" + i, null).statusCode()).isEqualTo(200);
    }
    assertThat(send(HttpMethod.POST, "/things", "twelve bytes").statusCode()).isEqualTo(201);
    assertThat(send(HttpMethod.GET, "/nothing", null).statusCode()).isEqualTo(404);

    String get = "method=\"GET\"";
    String things = "route=\"/things/:id\"";
    await().atMost(DEADLINE).until(() -> value("vertx_http_server_requests_total", get, things, "code=\"200\"") == 3);
    assertThat(value("vertx_http_server_response_time_seconds_count", get, things, "code=\"200\"")).isEqualTo(3);
    assertThat(value("vertx_http_server_response_time_seconds_bucket", get, things, "code=\"200\"", "le=\"10.0\""))
        .as("the latency histogram's buckets").isEqualTo(3);
    assertThat(value("vertx_http_server_response_bytes_sum", get, things, "code=\"200\""))
        .isEqualTo("thing 0".length() * 3);
    await().atMost(DEADLINE).until(() -> value("vertx_http_server_requests_total", "method=\"POST\"",
        "route=\"/things\"", "code=\"201\"") == 1);
    assertThat(value("vertx_http_server_request_bytes_sum", "method=\"POST\"")).isEqualTo("twelve bytes".length());
    await().atMost(DEADLINE).until(() -> value("vertx_http_server_requests_total", get, "code=\"404\"") == 1);
    assertThat(scrape()).doesNotContain("route=\"/things/0\"");

    // any token is a valid method on the wire: methods outside the standard set share one label
    send(HttpMethod.valueOf("FROBNICATE"), "/things/1", null);
    await().atMost(DEADLINE).until(() -> value("vertx_http_server_requests_total", "method=\"OTHER\"") == 1);
    assertThat(scrape()).doesNotContain("FROBNICATE");
  }

  @Test
  @DisplayName("client requests are counted when sent and timed by method and status when answered")
  void clientMeters() {
    for (int i = 0; i < 2; i++) {
      send(HttpMethod.GET, "/things/" + i, null);
    }
    send(HttpMethod.GET, "/nothing", null);

    String get = "method=\"GET\"";
    await().atMost(DEADLINE).until(() -> value("vertx_http_client_responses_total", get, "code=\"404\"") == 1);
    assertThat(value("vertx_http_client_requests_total", get)).isEqualTo(3);
    assertThat(value("vertx_http_client_responses_total", get, "code=\"200\"")).isEqualTo(2);
    assertThat(value("vertx_http_client_responses_total", get, "code=\"404\"")).isEqualTo(1);
    assertThat(value("vertx_http_client_response_time_seconds_count", get, "code=\"200\"")).isEqualTo(2);
    assertThat(value("vertx_http_client_active_requests", get)).isZero();
  }

  @Test
  @DisplayName("a request in progress is active on both sides until its response has ended")
  void activeRequests() {
    Promise<Void> release = Promise.promise();
    held.set(release);
    var answer = client.request(new RequestOptions().setHost("127.0.0.1").setPort(server.actualPort())
        .setURI("/slow")).compose(request -> request.send().compose(HttpClientResponse::body));
    await().atMost(DEADLINE).until(() -> value("vertx_http_server_active_requests", "method=\"GET\"") == 1);
    assertThat(value("vertx_http_client_active_requests", "method=\"GET\"")).isEqualTo(1);

    release.complete();
    assertThat(answer.await().toString()).isEqualTo("released");
    await().atMost(DEADLINE).until(() -> value("vertx_http_server_active_requests", "method=\"GET\"") == 0
        && value("vertx_http_client_active_requests", "method=\"GET\"") == 0);
    assertThat(value("vertx_http_server_requests_total", "method=\"GET\"", "route=\"/slow\"", "code=\"200\""))
        .isEqualTo(1);
  }

  private void hold(RoutingContext ctx) {
    held.get().future().onComplete(v -> ctx.response().end("released"));
  }

  private HttpClientResponse send(HttpMethod method, String uri, String body) {
    return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(server.actualPort())
            .setURI(uri))
        // body() is asked for inside the callback that builds the request, on the client's event loop: a
        // listener added to a future from this test thread after it completed runs later, as its own task, and
        // a response whose body arrived in between has handed it to no handler (Vert.x drops it) and never ends
        .compose(request -> (body == null ? request.send() : request.send(Buffer.buffer(body)))
            .compose(response -> response.body().map(response)))
        .timeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .await();
  }

  private String scrape() {
    return registry.scrape();
  }

  /** The value of the one series of {@code name} with all of {@code labels}; -1 when there is none. */
  private double value(String name, String... labels) {
    return scrape().lines()
        .filter(line -> line.startsWith(name + "{") && Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .reduce((a, b) -> {
          throw new AssertionError("more than one series of " + name + " with " + Arrays.toString(labels));
        })
        .orElse(-1);
  }
}
