package io.shopmesh.platform.work;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.metrics.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkPoolTest {

  private PrometheusMeterRegistry registry;
  private Vertx vertx;
  private ServiceContext service;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() {
    registry = Metrics.registry("work-test");
    vertx = Metrics.vertx(registry, new VertxOptions());
    service = new ServiceContext("work-test", vertx, Settings.of(new JsonObject()), registry);
  }

  @AfterEach
  void stop() {
    release.countDown();
    service.shutdown().eventually(vertx::close).await();
  }

  private WorkPool pool(String name, int workers, int maxQueued, Duration timeout) {
    return WorkPool.deploy(service, name, new WorkPoolConfig(workers, maxQueued, timeout, Duration.ofSeconds(2)))
        .await();
  }

  /** Submits from an event loop, as a request handler would. */
  private <T> Future<T> submitFromEventLoop(WorkPool pool, Callable<T> task) {
    Promise<T> result = Promise.promise();
    vertx.runOnContext(v -> pool.submit(task).onComplete(result));
    return result.future();
  }

  private String blockUntilReleased() throws InterruptedException {
    if (!release.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never released the job");
    }
    return "released";
  }

  @Test
  @DisplayName("a job runs at the lowest priority on a worker thread of the pool's own named pool, not on an event "
      + "loop, and its value comes back")
  void runsOnNamedWorkers() {
    WorkPool pool = pool("hash", 2, 8, Duration.ofSeconds(10));
    String thread = submitFromEventLoop(pool, () -> {
      assertThat(Context.isOnWorkerThread()).as("runs on a worker thread").isTrue();
      assertThat(Thread.currentThread().getPriority()).as("below the event loops").isEqualTo(Thread.MIN_PRIORITY);
      return Thread.currentThread().getName();
    }).await();
    assertThat(thread).startsWith("shopmesh-work-hash");
  }

  @Test
  @DisplayName("what a job throws reaches the caller unchanged")
  void failuresPropagate() {
    WorkPool pool = pool("fail", 1, 8, Duration.ofSeconds(10));
    assertThatThrownBy(() -> submitFromEventLoop(pool, () -> {
      throw new IllegalArgumentException("row 7: price is not a number");
    }).await()).isInstanceOf(IllegalArgumentException.class).hasMessage("row 7: price is not a number");
  }

  @Test
  @DisplayName("jobs run side by side up to the number of workers")
  void workersRunConcurrently() {
    WorkPool pool = pool("pair", 2, 8, Duration.ofSeconds(10));
    CyclicBarrier bothRunning = new CyclicBarrier(2);
    List<Future<Integer>> jobs = List.of(
        submitFromEventLoop(pool, () -> bothRunning.await(10, TimeUnit.SECONDS)),
        submitFromEventLoop(pool, () -> bothRunning.await(10, TimeUnit.SECONDS)));
    Future.all(jobs).await();
    assertThat(jobs).allSatisfy(job -> assertThat(job.succeeded()).isTrue());
  }

  @Test
  @DisplayName("beyond the bound a job is refused at once with 503 and Retry-After, and accepted jobs still finish")
  void boundedQueue() {
    WorkPool pool = pool("bounded", 1, 3, Duration.ofSeconds(30));
    List<Future<String>> accepted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      accepted.add(pool.submit(this::blockUntilReleased));
    }
    assertThat(pool.depth()).isEqualTo(3);

    assertThat(pool.reserve().failed()).as("a full pool refuses a reservation too").isTrue();
    long started = System.nanoTime();
    Future<String> refused = pool.submit(this::blockUntilReleased);
    assertThat(refused.failed()).as("refused without waiting").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
    assertThat(refused.cause()).isInstanceOfSatisfying(ProblemException.class, problem -> {
      assertThat(problem.status()).isEqualTo(503);
      assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    });
    assertThat(registry.scrape()).contains("shopmesh_worker_queue_depth{pool=\"bounded\",service=\"work-test\"} 3.0");

    release.countDown();
    Future.all(accepted).await();
    assertThat(accepted).allSatisfy(job -> assertThat(job.result()).isEqualTo("released"));
    assertThat(pool.depth()).isZero();
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("shopmesh_worker_queue_depth{pool=\"bounded\",service=\"work-test\"} 0.0")
        .contains("shopmesh_worker_wait_seconds_count{pool=\"bounded\",service=\"work-test\"} 3")
        .contains("shopmesh_worker_rejected_total{pool=\"bounded\",service=\"work-test\"} 2.0");
  }

  @Test
  @DisplayName("a reservation holds room until its job finishes or it is released, and expires after the timeout")
  void reservations() {
    WorkPool pool = pool("reserved", 1, 2, Duration.ofMillis(500));
    WorkPool.Ticket first = pool.reserve().await();
    WorkPool.Ticket second = pool.reserve().await();
    assertThat(pool.depth()).isEqualTo(2);
    assertThatThrownBy(() -> pool.submit(() -> "no room").await())
        .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.status()).isEqualTo(503));

    assertThat(first.submit(() -> "ran in reserved room").await()).isEqualTo("ran in reserved room");
    assertThat(pool.depth()).isEqualTo(1);
    assertThatThrownBy(() -> first.submit(() -> "again").await()).hasMessage("a work pool ticket runs one job");
    second.release();
    second.release();
    assertThat(pool.depth()).isZero();

    WorkPool.Ticket forgotten = pool.reserve().await();
    assertThat(pool.depth()).isEqualTo(1);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (pool.depth() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(pool.depth()).as("a forgotten reservation expires with the timeout").isZero();
    assertThatThrownBy(() -> forgotten.submit(() -> "late").await()).hasMessageContaining("reservation expired");
  }

  @Test
  @DisplayName("a job that overruns the timeout answers 503 and frees its slot")
  void timeout() {
    WorkPool pool = pool("slow", 1, 4, Duration.ofMillis(300));
    assertThatThrownBy(() -> submitFromEventLoop(pool, this::blockUntilReleased).await())
        .isInstanceOfSatisfying(ProblemException.class, problem -> {
          assertThat(problem.status()).isEqualTo(503);
          assertThat(problem.detail()).contains("did not finish in time");
        });
    assertThat(pool.depth()).isZero();
  }

  @Test
  @DisplayName("the workers stop with the service, and a later job is refused with 503")
  void stopsWithService() {
    WorkPool pool = pool("stopping", 1, 4, Duration.ofSeconds(5));
    int before = vertx.deploymentIDs().size();
    assertThat(before).isGreaterThanOrEqualTo(1);
    service.shutdown().await();
    assertThat(vertx.deploymentIDs()).isEmpty();
    assertThatThrownBy(() -> submitFromEventLoop(pool, () -> "late").await())
        .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.status()).isEqualTo(503));
  }

  @Test
  @DisplayName("two pools of one service cannot share a name")
  void uniqueNames() {
    pool("twice", 1, 1, Duration.ofSeconds(1));
    assertThatThrownBy(() -> pool("twice", 1, 1, Duration.ofSeconds(1)))
        .hasMessageContaining("a work pool named 'twice' already exists");
  }

  @Test
  @DisplayName("by default a pool has one worker per core and is read from keys under its prefix")
  void config() {
    Settings settings = Settings.of(new JsonObject().put("import", new JsonObject().put("maxQueued", 4)));
    WorkPoolConfig config = WorkPoolConfig.from(settings, "import", 64);
    assertThat(config.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.maxQueued()).isEqualTo(4);
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(WorkPoolConfig.from(Settings.of(new JsonObject()), "passwords", 64).maxQueued()).isEqualTo(64);
  }
}
