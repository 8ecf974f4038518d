package io.shopmesh.testkit;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** What every Shopmesh service answers, whatever its domain: health, metrics, problem documents. */
public final class ServiceChecks {

  private ServiceChecks() {
  }

  /** Live, ready, Prometheus metrics with JVM and HTTP series, and a problem document for an unknown path. */
  public static void assertOperable(RunningService service) {
    assertThat(get(service, "/health/live").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> ready = get(service, "/health/ready");
    assertThat(ready.statusCode()).as("readiness: %s", ready.bodyAsString()).isEqualTo(200);
    HttpResponse<Buffer> missing = get(service, "/no/such/path");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.getHeader("Content-Type")).isEqualTo("application/problem+json");
    HttpResponse<Buffer> metrics = get(service, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.bodyAsString())
        .contains("jvm_memory_used_bytes")
        .contains("vertx_http_server_requests_total")
        .contains("code=\"404\"");
  }

  /** {@code response} is a problem document of {@code status} with a detail; {@code input} names what was sent. */
  public static void assertProblem(HttpResponse<Buffer> response, int status, String input) {
    assertThat(response.statusCode()).as("%s -> %s", input, response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).as(input).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getInteger("status")).as(input).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("detail")).as(input).isNotBlank();
  }

  private static HttpResponse<Buffer> get(RunningService service, String path) {
    return service.client().get(path).send().await();
  }
}
