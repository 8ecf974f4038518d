package io.shopmesh.events.inbox;

import io.shopmesh.events.Envelope;
import io.shopmesh.events.kafka.Backoff;
import io.shopmesh.platform.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.ClosedConnectionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.util.function.BooleanSupplier;

/**
 * Takes one record from "received" to a final {@link Outcome}. An unreadable record goes straight
 * to the dead letters. A readable one is applied through the {@link InboxStore}, on its own
 * duplicated Vert.x context whose log scope names the event and whose current span
 * ({@link ConsumerSpans}) continues the event's trace. A failing handler is
 * retried with backoff up to {@code maxAttempts} and then dead-lettered (its id is not put in the
 * inbox, so a replay can still apply it). Database outages are not the event's fault: they are
 * retried without counting attempts, for as long as the partition is still ours.
 */
final class RecordProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);

  /** The partition was revoked or the consumer is stopping: the record stays unprocessed. */
  static final class Abandoned extends RuntimeException {

    Abandoned() {
      super("abandoned: the partition is no longer processed here", null, false, false);
    }
  }

  private final Vertx vertx;
  private final ContextInternal root;
  private final InboxStore inbox;
  private final DeadLetterPublisher deadLetters;
  private final ConsumerMetrics metrics;
  private final ConsumerSettings settings;
  private final Backoff backoff;
  private final ConsumerSpans spans;

  /** @param root the consumer verticle's event-loop context; each event runs on a duplicate of it */
  RecordProcessor(ContextInternal root, InboxStore inbox, DeadLetterPublisher deadLetters, ConsumerMetrics metrics,
                  ConsumerSettings settings) {
    this.vertx = root.owner();
    this.root = root;
    this.spans = new ConsumerSpans(root, settings.group());
    this.inbox = inbox;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.settings = settings;
    this.backoff = new Backoff(settings.backoff(), settings.maxBackoff());
  }

  /** Processes {@code record} while {@code active} holds; the outcome completes on the root context. */
  Future<Outcome> process(ConsumerRecord<String, String> record, BooleanSupplier active) {
    Envelope envelope;
    try {
      envelope = Envelope.fromJson(new JsonObject(record.value()));
    } catch (RuntimeException e) {
      LOG.error("unreadable record {}-{}@{} goes to the dead letters: {}", record.topic(), record.partition(),
          record.offset(), e.getMessage());
      return deadLetter(record, "unparseable", e, 1, active);
    }
    ContextInternal context = root.duplicate();
    LogContext.put(context, LogContext.Scope.ofRequest("event-" + envelope.id()));
    Object span = spans.start(context, record, envelope);
    Promise<Outcome> outcome = root.promise();
    context.runOnContext(v -> attempt(envelope, record, 1, 0, active).onComplete(ar -> {
      if (ar.succeeded()) {
        LOG.debug("{} {} of {}: {}", envelope.type(), envelope.id(), envelope.aggregateId(), ar.result().label());
      }
      spans.end(context, span, ar.cause());
      outcome.handle(ar);
    }));
    return outcome.future();
  }

  private Future<Outcome> attempt(Envelope envelope, ConsumerRecord<String, String> record, int attempt,
                                  int outages, BooleanSupplier active) {
    if (!active.getAsBoolean()) {
      return Future.failedFuture(new Abandoned());
    }
    return inbox.apply(envelope, record).transform(ar -> {
      if (ar.succeeded()) {
        metrics.handled(envelope, ar.result());
        return Future.succeededFuture(ar.result());
      }
      Throwable cause = ar.cause();
      if (!(cause instanceof InboxStore.HandlerFailure) || isConnectionLoss(cause.getCause())) {
        if (outages == 0) {
          LOG.warn("cannot apply {} {}: {}; retrying until the database answers", envelope.type(), envelope.id(),
              cause.toString());
        }
        return later(outages + 1).compose(v -> attempt(envelope, record, attempt, outages + 1, active));
      }
      metrics.handlerFailed(envelope.type());
      if (attempt >= settings.maxAttempts()) {
        LOG.error("handler for {} {} failed {} times, last with: {}; the event goes to the dead letters",
            envelope.type(), envelope.id(), attempt, cause.getMessage());
        return deadLetter(record, envelope.type(), cause, attempt, active);
      }
      long delay = backoff.delayMillis(attempt);
      LOG.warn("handler for {} {} failed (attempt {} of {}): {}; retrying in {} ms", envelope.type(), envelope.id(),
          attempt, settings.maxAttempts(), cause.getMessage(), delay);
      return vertx.timer(delay).compose(v -> attempt(envelope, record, attempt + 1, 0, active));
    });
  }

  /** Dead-letters the record, retrying the send for as long as it takes (the partition waits). */
  private Future<Outcome> deadLetter(ConsumerRecord<String, String> record, String type, Throwable error,
                                     int attempts, BooleanSupplier active) {
    return sendDeadLetter(record, error, attempts, 0, active).map(v -> {
      metrics.deadLettered(type);
      return Outcome.DEAD_LETTERED;
    });
  }

  private Future<Void> sendDeadLetter(ConsumerRecord<String, String> record, Throwable error, int attempts,
                                      int failures, BooleanSupplier active) {
    if (!active.getAsBoolean()) {
      return Future.failedFuture(new Abandoned());
    }
    return deadLetters.publish(record, error, attempts).recover(e -> {
      if (failures == 0) {
        LOG.warn("cannot write dead letter for {}-{}@{}: {}; retrying", record.topic(), record.partition(),
            record.offset(), e.toString());
      }
      return later(failures + 1).compose(v -> sendDeadLetter(record, error, attempts, failures + 1, active));
    });
  }

  private Future<Void> later(int failures) {
    long delay = Math.max(backoff.delayMillis(failures), settings.backoff().toMillis());
    return vertx.timer(delay).mapEmpty();
  }

  private static boolean isConnectionLoss(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ClosedConnectionException || t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }
}
