package io.shopmesh.platform.work;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.Shutdown;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bulkhead for CPU-heavy work (password hashing, bulk parsing): worker verticles on their own
 * named worker pool, reached over the local event bus, so an event loop hands a job over and
 * never runs it.
 *
 * <p>At most {@link WorkPoolConfig#maxQueued()} jobs are accepted at once (waiting and running
 * together); beyond that {@link #submit} fails immediately with a 503 problem carrying
 * {@code Retry-After}, so overload turns into fast refusals instead of an unbounded queue and
 * growing latency. A caller that must do I/O before its job is ready reserves room first
 * ({@link #reserve()}), so even a burst is refused before that I/O. Jobs are plain blocking code
 * and must not touch Vert.x objects of the caller.
 *
 * <p>Meters, tagged {@code pool}: {@code shopmesh_worker_queue_depth} (accepted or reserved, not yet finished),
 * {@code shopmesh_worker_wait_seconds} (submit to start on a worker thread) and
 * {@code shopmesh_worker_rejected_total}.
 */
public final class WorkPool {

  private final String name;
  private final Vertx vertx;
  private final WorkPoolConfig config;
  private final String address;
  private final DeliveryOptions delivery;
  private final AtomicInteger accepted = new AtomicInteger();
  private final Timer waits;
  private final Counter rejected;

  private WorkPool(String name, Vertx vertx, MeterRegistry registry, WorkPoolConfig config) {
    this.name = name;
    this.vertx = vertx;
    this.config = config;
    this.address = "shopmesh.work." + name;
    this.delivery = new DeliveryOptions().setLocalOnly(true).setCodecName(LocalCodec.name(name))
        .setSendTimeout(config.timeout().toMillis());
    Gauge.builder("shopmesh.worker.queue.depth", accepted, AtomicInteger::get)
        .description("jobs accepted by the work pool and not finished yet")
        .tag("pool", name).register(registry);
    this.waits = Timer.builder("shopmesh.worker.wait")
        .description("time from submitting a job to a worker starting it")
        .tag("pool", name).publishPercentileHistogram().register(registry);
    this.rejected = Counter.builder("shopmesh.worker.rejected")
        .description("jobs refused because the work pool was full")
        .tag("pool", name).register(registry);
  }

  /**
   * Deploys {@code config.workers()} worker verticles on a worker pool named
   * {@code shopmesh-work-<name>}; they are undeployed with the other resources on shutdown. The
   * pool's message codec stays registered until Vert.x closes, so a job submitted after that
   * fails as a plain 503.
   *
   * @param name short name used in the event-bus address, thread names and meter tags; unique per service
   */
  public static Future<WorkPool> deploy(ServiceContext service, String name, WorkPoolConfig config) {
    Vertx vertx = service.vertx();
    String codec = LocalCodec.name(name);
    try {
      vertx.eventBus().registerCodec(new LocalCodec(codec));
    } catch (IllegalStateException e) {
      return Future.failedFuture(new IllegalStateException("a work pool named '" + name + "' already exists"));
    }
    WorkPool pool = new WorkPool(name, vertx, service.registry(), config);
    DeploymentOptions options = new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setWorkerPoolName("shopmesh-work-" + name)
        .setWorkerPoolSize(config.workers())
        .setInstances(config.workers());
    return vertx.deployVerticle(() -> new WorkerVerticle(pool.address, codec, pool.waits), options)
        .onSuccess(id -> service.onShutdown(Shutdown.Phase.RESOURCES, "work pool " + name, () -> vertx.undeploy(id)))
        .onFailure(e -> vertx.eventBus().unregisterCodec(codec))
        .map(id -> pool);
  }

  /** How many jobs run at once: the number of worker threads. */
  public int size() {
    return config.workers();
  }

  /**
   * Runs {@code task} on a worker of this pool. Fails at once with a 503 problem when the pool is
   * full, with 503 when the job does not finish within the timeout, and otherwise with whatever
   * the task threw.
   */
  public <T> Future<T> submit(Callable<T> task) {
    return reserve().compose(ticket -> ticket.submit(task));
  }

  /**
   * Reserves room for one job now, or fails at once with a 503 problem when the pool is full. A
   * request that needs I/O before its job is ready (look up a password hash, then verify it)
   * reserves first, so that under overload it is refused before that I/O instead of after it,
   * and refusals stay fast however many requests arrive together. The reservation counts towards
   * {@link WorkPoolConfig#maxQueued()} until its job finishes or it is released, and at the latest
   * until the pool's timeout has passed, so a forgotten ticket cannot shrink the pool for good.
   */
  public Future<Ticket> reserve() {
    if (accepted.incrementAndGet() > config.maxQueued()) {
      accepted.decrementAndGet();
      return refuse();
    }
    return Future.succeededFuture(new Ticket());
  }

  /** Room for one job in the pool, held from {@link #reserve()} until its job is done or it is released. */
  public final class Ticket {

    private final AtomicBoolean held = new AtomicBoolean(true);
    private final AtomicBoolean used = new AtomicBoolean();
    private final long expiry;

    private Ticket() {
      expiry = vertx.setTimer(config.timeout().toMillis(), id -> release());
    }

    /** Runs {@code task} in the reserved room, like {@link WorkPool#submit}; a ticket runs one job. */
    public <T> Future<T> submit(Callable<T> task) {
      if (!used.compareAndSet(false, true)) {
        return Future.failedFuture(new IllegalStateException("a work pool ticket runs one job"));
      }
      if (!held.get()) {
        return Future.failedFuture(ProblemException.unavailable(
            "the " + name + " reservation expired; retry shortly", config.retryAfter()));
      }
      Job job = new Job(task, System.nanoTime());
      return vertx.eventBus().<Outcome>request(address, job, delivery)
          .transform(ar -> {
            release();
            if (ar.failed()) {
              return Future.failedFuture(ar.cause() instanceof ReplyException reply ? unavailable(reply) : ar.cause());
            }
            return ar.result().body().<T>result();
          });
    }

    /** Gives the room back when no job will run; harmless when already released or its job finished. */
    public void release() {
      if (held.compareAndSet(true, false)) {
        accepted.decrementAndGet();
        vertx.cancelTimer(expiry);
      }
    }
  }

  private <T> Future<T> refuse() {
    rejected.increment();
    return Future.failedFuture(ProblemException.unavailable(
        "the service is busy (" + name + " workers are all taken); retry shortly", config.retryAfter()));
  }

  private ProblemException unavailable(ReplyException reply) {
    String detail = reply.failureType() == ReplyFailure.TIMEOUT
        ? "the " + name + " work did not finish in time; retry shortly"
        : "the " + name + " workers are not running; retry shortly";
    return ProblemException.unavailable(detail, config.retryAfter());
  }

  /** Jobs accepted (or room reserved) and not finished yet; a job that timed out counts as finished. */
  public int depth() {
    return accepted.get();
  }

  public String name() {
    return name;
  }

  /** A job as it travels on the event bus: the task and when it was submitted. */
  record Job(Callable<?> task, long submittedNanos) {
  }

  /** What a worker answers: the task's value or what it threw. */
  record Outcome(Object value, Throwable error) {

    @SuppressWarnings("unchecked")
    <T> Future<T> result() {
      return error == null ? Future.succeededFuture((T) value) : Future.failedFuture(error);
    }
  }
}
