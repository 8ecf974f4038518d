package io.shopmesh.platform.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The ordered steps of a graceful stop. Phases run one after the other, the steps of one phase
 * concurrently, each bounded by a timeout so a stuck step cannot keep the process alive.
 */
public final class Shutdown {

  /** The order in which a stopping instance lets go of the world. */
  public enum Phase {
    /** leave service discovery first, so gateways stop choosing this instance */
    DISCOVERY,
    /** stop accepting, let in-flight requests finish */
    HTTP,
    /** flush the outbox relay, commit consumer offsets, stop background jobs */
    MESSAGING,
    /** close pools and clients */
    RESOURCES
  }

  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

  private final Vertx vertx;
  private final Duration stepTimeout;
  private final Map<Phase, List<Step>> steps = new EnumMap<>(Phase.class);
  private Future<Void> running;

  public Shutdown(Vertx vertx, Duration stepTimeout) {
    this.vertx = vertx;
    this.stepTimeout = stepTimeout;
  }

  public synchronized void add(Phase phase, String name, Supplier<Future<?>> step) {
    steps.computeIfAbsent(phase, p -> new ArrayList<>()).add(new Step(name, step));
  }

  /** Runs every step once; later calls return the same future. */
  public synchronized Future<Void> run() {
    if (running == null) {
      Future<Void> chain = Future.succeededFuture();
      for (Phase phase : Phase.values()) {
        List<Step> phaseSteps = List.copyOf(steps.getOrDefault(phase, List.of()));
        chain = chain.compose(v -> runPhase(phaseSteps));
      }
      running = chain;
    }
    return running;
  }

  private Future<Void> runPhase(List<Step> phaseSteps) {
    List<Future<Void>> outcomes = phaseSteps.stream().map(this::runStep).toList();
    return Future.join(outcomes).mapEmpty();
  }

  private Future<Void> runStep(Step step) {
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(stepTimeout.toMillis(), t -> {
      if (done.tryComplete()) {
        LOG.warn("shutdown step '{}' did not finish within {} ms; moving on", step.name(), stepTimeout.toMillis());
      }
    });
    Future<?> outcome;
    try {
      outcome = step.action().get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        LOG.warn("shutdown step '{}' failed: {}", step.name(), ar.cause().toString());
      }
      done.tryComplete();
    });
    return done.future();
  }

  private record Step(String name, Supplier<Future<?>> action) {
  }
}
