package io.shopmesh.events.outbox;

import io.shopmesh.events.kafka.Backoff;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The relay's answer to failed batches: retry after a capped exponential backoff. It logs the
 * transitions (first failure, recovery) rather than every attempt, so a long Kafka outage costs
 * two log lines, while the failure counter and the backlog gauges show its extent.
 */
final class PublishRetry {

  private static final Logger LOG = LoggerFactory.getLogger(PublishRetry.class);
  private static final Duration FIRST_DELAY = Duration.ofMillis(100);

  private final Vertx vertx;
  private final Backoff backoff;
  private final Runnable retry;
  private int failures;
  private long timer = -1;

  PublishRetry(Vertx vertx, Duration maxBackoff, Runnable retry) {
    this.vertx = vertx;
    this.backoff = new Backoff(FIRST_DELAY, maxBackoff.compareTo(FIRST_DELAY) < 0 ? FIRST_DELAY : maxBackoff);
    this.retry = retry;
  }

  /** Whether a retry is scheduled (no batch should start before it fires). */
  boolean waiting() {
    return timer != -1;
  }

  void failed(Throwable cause) {
    failures++;
    if (failures == 1) {
      LOG.warn("outbox relay cannot publish ({}); rows stay in the outbox and are retried with backoff up to {} ms",
          cause.toString(), backoff.max().toMillis());
    }
    timer = vertx.setTimer(backoff.delayMillis(failures), t -> {
      timer = -1;
      retry.run();
    });
  }

  void succeeded() {
    if (failures > 0) {
      LOG.info("outbox relay publishes again after {} failed attempts", failures);
      failures = 0;
    }
  }

  void cancel() {
    vertx.cancelTimer(timer);
    timer = -1;
  }
}
