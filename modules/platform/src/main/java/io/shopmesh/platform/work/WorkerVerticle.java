package io.shopmesh.platform.work;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.concurrent.TimeUnit;

/** One worker of a {@link WorkPool}: takes jobs from the pool's address, one at a time, on a worker thread. */
final class WorkerVerticle extends VerticleBase {

  private final String address;
  private final DeliveryOptions replyOptions;
  private final Timer waits;
  private MessageConsumer<WorkPool.Job> consumer;

  WorkerVerticle(String address, String codec, Timer waits) {
    this.address = address;
    this.replyOptions = new DeliveryOptions().setLocalOnly(true).setCodecName(codec);
    this.waits = waits;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(address, this::run);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }

  private void run(Message<WorkPool.Job> message) {
    lowerPriority();
    WorkPool.Job job = message.body();
    waits.record(System.nanoTime() - job.submittedNanos(), TimeUnit.NANOSECONDS);
    WorkPool.Outcome outcome;
    try {
      outcome = new WorkPool.Outcome(job.task().call(), null);
    } catch (Exception e) {
      outcome = new WorkPool.Outcome(null, e);
    } catch (Error e) {
      message.reply(new WorkPool.Outcome(null, e), replyOptions);
      throw e;
    }
    message.reply(outcome, replyOptions);
  }

  /**
   * Work pools run CPU-heavy jobs (hashing, parsing): when the cores are busy, the event loops
   * should get them first. The thread is the pool's own (a named worker pool). The JVM passes Java
   * priorities to the OS only with {@code -XX:ThreadPriorityPolicy=1}; the launchers set it, with
   * {@code -XX:JavaPriority1_To_OSPriority=19} for the nice value (README, "Running a service").
   * Without them this changes nothing.
   */
  private static void lowerPriority() {
    Thread thread = Thread.currentThread();
    if (thread.getPriority() != Thread.MIN_PRIORITY) {
      thread.setPriority(Thread.MIN_PRIORITY);
    }
  }
}
