package io.shopmesh.platform.health;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Liveness and readiness of one service instance.
 *
 * <p>Liveness only proves the event loop answers. Readiness probes each dependency the service
 * really uses. A <em>critical</em> dependency that fails turns {@code /health/ready} into 503 so
 * load balancers stop sending traffic; a non-critical one (e.g. Kafka behind an outbox, which
 * buffers events in Postgres) is reported as degraded in the body while readiness stays 200.
 */
public final class Readiness {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final HealthChecks ready;

  public Readiness(Vertx vertx) {
    this.vertx = vertx;
    this.ready = HealthChecks.create(vertx);
  }

  /**
   * Adds a dependency probe.
   *
   * @param probe    succeeds when the dependency answers; it is given two seconds
   * @param critical whether a failure makes the instance unready
   */
  public Readiness check(String name, boolean critical, Supplier<Future<?>> probe) {
    ready.register(name, PROBE_TIMEOUT.toMillis(), promise -> {
      Future<?> outcome;
      try {
        outcome = probe.get();
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      outcome.onComplete(ar -> {
        if (ar.succeeded()) {
          promise.tryComplete(Status.OK());
        } else if (critical) {
          promise.tryComplete(Status.KO(reason(ar.cause())));
        } else {
          promise.tryComplete(Status.OK(reason(ar.cause()).put("degraded", true)));
        }
      });
    });
    return this;
  }

  /** Whether every critical dependency answers now: what {@code /health/ready} would say, as a boolean. */
  public Future<Boolean> ready() {
    return ready.checkStatus().map(CheckResult::isUp);
  }

  /** {@code /health/ready}: 200 when every critical dependency answers, 503 otherwise. */
  public Handler<RoutingContext> readyHandler() {
    return HealthCheckHandler.createWithHealthChecks(ready);
  }

  /** {@code /health/live}: 200 as long as an event loop can answer. */
  public Handler<RoutingContext> liveHandler() {
    return HealthCheckHandler.create(vertx).register("eventLoop", promise -> promise.complete(Status.OK()));
  }

  private static JsonObject reason(Throwable cause) {
    String message = cause == null ? "unavailable" : cause.getMessage();
    return new JsonObject().put("error", message == null ? cause.getClass().getSimpleName() : message);
  }
}
