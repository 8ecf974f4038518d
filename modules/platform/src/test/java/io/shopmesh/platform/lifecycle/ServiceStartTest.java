package io.shopmesh.platform.lifecycle;

import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service may serve HTTP before the last steps of its start are done (they run side by side): until
 * the start has finished, {@code /health/ready} says so through its {@code start} check, and the ready
 * line can tell where the start went.
 */
class ServiceStartTest {

  private Vertx vertx;
  private ServiceContext service;
  private WebClient client;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Settings settings = Settings.of(new JsonObject().put("http", new JsonObject().put("port", 0).put("instances", 1)));
    service = new ServiceContext("starting", vertx, settings, Metrics.registry("starting"));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    service.shutdown().await();
    vertx.close().await();
  }

  @Test
  @DisplayName("/health/ready is 503 naming the start until the start has finished, then 200")
  void readyOnlyOnceStarted() {
    Promise<Void> lastStep = Promise.promise();
    Promise<Integer> served = Promise.promise();
    HttpConfig http = HttpConfig.from(service.settings(), 0);
    Future<?> started = service.start(s -> s.step("http server", () -> s.serveHttp(http,
            v -> s.router(v, http).build()))
        .onComplete(served)
        .compose(port -> s.step("last step", lastStep::future)));
    served.future().await();

    HttpResponse<Buffer> starting = ready();
    assertThat(starting.statusCode()).isEqualTo(503);
    JsonObject check = starting.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals("start")).findFirst().orElseThrow();
    assertThat(check.getString("status")).isEqualTo("DOWN");
    assertThat(check.getJsonObject("data").getString("error")).isEqualTo("the service is still starting");
    assertThat(started.isComplete()).isFalse();

    lastStep.complete();
    started.await();
    assertThat(ready().statusCode()).isEqualTo(200);
    assertThat(service.stepTimes()).hasSize(2);
    assertThat(service.stepTimes().get(0)).matches("http server \\d+ ms");
    assertThat(service.stepTimes().get(1)).matches("last step \\d+ ms");
  }

  @Test
  @DisplayName("a start that fails leaves the service unready, and its failed step is named")
  void failedStart() {
    HttpConfig http = HttpConfig.from(service.settings(), 0);
    Future<?> started = service.start(s -> s.step("http server", () -> s.serveHttp(http,
            v -> s.router(v, http).build()))
        .compose(port -> s.step("broken step", () -> {
          throw new IllegalStateException("no such thing");
        })));

    Throwable failure = started.<Throwable>transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(failure).hasMessage("no such thing");
    assertThat(service.stepTimes()).last().asString().matches("broken step \\d+ ms \\(failed\\)");
    assertThat(ready().statusCode()).isEqualTo(503);
  }

  private HttpResponse<Buffer> ready() {
    return client.get(service.httpPort(), "127.0.0.1", "/health/ready").send().await();
  }
}
