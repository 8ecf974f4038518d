package io.shopmesh.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * HTTP load from this JVM with Vert.x clients.
 *
 * <p>Open loop: requests leave at a fixed rate whatever the answers do, and each latency is
 * counted from the moment the request was due, so a stall shows up in every request it delayed
 * (coordinated omission corrected). Closed loop: a fixed number of callers each send the next
 * request as soon as the previous one is answered, which measures the highest throughput.
 */
public final class LoadGenerator implements AutoCloseable {

  private static final long MAX_LATENCY_MICROS = TimeUnit.SECONDS.toMicros(60);

  private final Vertx vertx;
  private final HttpClient client;

  public LoadGenerator(Vertx vertx, int connections) {
    this.vertx = vertx;
    this.client = vertx.httpClientBuilder()
        // pooled connections unused for 20 s are dropped: the services close theirs after 60 to 120 s
        // (http.keepAliveTimeout), and a request sent as the server closes its connection fails
        .with(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(20).setConnectTimeout(5000)
            .setIdleTimeout(30))
        .with(new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1))
        .build();
  }

  /** {@code rate} requests per second for {@code duration}, latency from each request's due time. */
  public Future<Result> openLoop(Target target, int rate, Duration duration) {
    return openLoop(target.name(), rate, duration, i -> send(target, i).map(status -> status < 400));
  }

  /**
   * {@code rate} operations per second for {@code duration}; an operation is anything asynchronous
   * (e.g. place an order and wait until it is confirmed) that completes with true when it went well.
   */
  public Future<Result> openLoop(String name, int rate, Duration duration, IntFunction<Future<Boolean>> operation) {
    Promise<Result> done = Promise.promise();
    Histogram latency = new Histogram(MAX_LATENCY_MICROS, 3);
    long total = (long) rate * duration.toSeconds();
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime();
    AtomicLong sent = new AtomicLong();
    AtomicLong finished = new AtomicLong();
    Failures failures = new Failures();
    vertx.getOrCreateContext().runOnContext(v -> new Runnable() {
      @Override
      public void run() {
        long now = System.nanoTime();
        while (sent.get() < total && start + sent.get() * interval <= now) {
          long i = sent.getAndIncrement();
          long due = start + i * interval;
          operation.apply((int) i).onComplete(ar -> {
            // measured from when it was due, not when it went out: a late send counts (coordinated omission)
            latency.recordValue(Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - due) / 1000));
            if (ar.failed() || !ar.result()) {
              failures.add(ar.failed() ? ar.cause().toString() : "an unexpected answer");
            }
            if (finished.incrementAndGet() == total) {
              done.complete(failures.result(name, total, (System.nanoTime() - start) / 1e9, latency));
            }
          });
        }
        if (sent.get() < total) {
          // wake when the next one is due rather than every millisecond: at low rates the generator
          // would otherwise take CPU from the services it measures
          long next = start + sent.get() * interval - System.nanoTime();
          vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(next)), t -> run());
        }
      }
    }.run());
    return done.future();
  }

  /** {@code callers} back-to-back callers for {@code duration}. */
  public Future<Result> closedLoop(Target target, int callers, Duration duration) {
    Promise<Result> done = Promise.promise();
    Histogram latency = new Histogram(MAX_LATENCY_MICROS, 3);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    AtomicLong requests = new AtomicLong();
    Failures failures = new Failures();
    AtomicLong running = new AtomicLong(callers);
    // one context: every callback runs on the same event loop, so the histogram needs no lock
    vertx.getOrCreateContext().runOnContext(v -> {
      for (int c = 0; c < callers; c++) {
        loop(target, end, requests, failures, latency, () -> {
          if (running.decrementAndGet() == 0) {
            done.complete(failures.result(target.name(), requests.get(), (System.nanoTime() - start) / 1e9,
                latency));
          }
        });
      }
    });
    return done.future();
  }

  private void loop(Target target, long end, AtomicLong requests, Failures failures, Histogram latency,
                    Runnable finished) {
    if (System.nanoTime() >= end) {
      finished.run();
      return;
    }
    long sentAt = System.nanoTime();
    send(target, (int) requests.getAndIncrement()).onComplete(ar -> {
      latency.recordValue(Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - sentAt) / 1000));
      if (ar.failed() || ar.result() >= 400) {
        failures.add(ar.failed() ? ar.cause().toString() : "status " + ar.result());
      }
      loop(target, end, requests, failures, latency, finished);
    });
  }

  private Future<Integer> send(Target target, int i) {
    Target.Request r = target.request().apply(i);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host())
        .setPort(target.port()).setURI(r.uri()).setHeaders(r.headers()).setIdleTimeout(30_000);
    return client.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode()));
  }

  /** The failed requests of one run: how many, and what the first one got. */
  private static final class Failures {

    private final AtomicLong count = new AtomicLong();
    private final AtomicReference<String> first = new AtomicReference<>();

    void add(String what) {
      count.incrementAndGet();
      first.compareAndSet(null, what);
    }

    Result result(String target, long requests, double seconds, Histogram latency) {
      return new Result(target, requests, count.get(), seconds, latency, first.get());
    }
  }

  @Override
  public void close() {
    client.close().await();
  }
}
