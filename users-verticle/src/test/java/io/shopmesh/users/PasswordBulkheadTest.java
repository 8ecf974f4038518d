package io.shopmesh.users;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The password bulkhead under a burst: 200 logins at once against 2 workers and a bound of 64.
 * Timings are printed (they depend on the machine and what else runs on it), not asserted, except
 * that every refusal comes before the median accepted login: refused requests do not queue.
 */
@ExtendWith(InfraExtension.class)
class PasswordBulkheadTest {

  private static final int BURST = 200;
  private static final int MAX_QUEUED = 64;
  private static final int PROBES_BEFORE = 300;
  private static UsersFixture users;
  private static ListAppender<ILoggingEvent> blockedThreads;
  private static Logger checker;

  @BeforeAll
  static void start(TestEnv env) {
    checker = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    blockedThreads = new ListAppender<>();
    blockedThreads.start();
    checker.addAppender(blockedThreads);
    users = UsersFixture.start(env, new JsonObject()
        .put("passwords", new JsonObject().put("workers", 2).put("maxQueued", MAX_QUEUED).put("retryAfter", "2s")));
  }

  @AfterAll
  static void stop() {
    users.close();
    checker.detachAppender(blockedThreads);
  }

  private record Timed(HttpResponse<Buffer> response, long micros) {
  }

  private static Future<Timed> timed(Future<HttpResponse<Buffer>> request, long startNanos) {
    return request.map(response -> new Timed(response, (System.nanoTime() - startNanos) / 1000));
  }

  private static Future<Timed> live() {
    long start = System.nanoTime();
    return timed(users.request(HttpMethod.GET, "/health/live").send(), start);
  }

  /** Probes {@code /health/live} one after another until {@code stop} is set or {@code max} probes ran. */
  private static Future<List<Long>> probe(AtomicBoolean stop, int max) {
    Promise<List<Long>> done = Promise.promise();
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    users.clientVertx().runOnContext(v -> next(stop, max, micros, done));
    return done.future();
  }

  private static void next(AtomicBoolean stop, int max, List<Long> micros, Promise<List<Long>> done) {
    if (stop.get() || micros.size() >= max) {
      done.complete(micros);
      return;
    }
    live().onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      if (ar.result().response().statusCode() != 200) {
        done.fail(new AssertionError("/health/live answered " + ar.result().response().statusCode()));
        return;
      }
      micros.add(ar.result().micros());
      next(stop, max, micros, done);
    });
  }

  private static double percentileMillis(List<Long> micros, double p) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1000.0;
  }

  private static List<Future<Timed>> burstOfLogins(String email, long start) {
    List<Future<Timed>> logins = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      logins.add(timed(users.loginAsync(email, UsersFixture.PASSWORD), start));
    }
    return logins;
  }

  @Test
  @DisplayName("under 200 concurrent logins /health/live keeps answering, no thread is reported blocked, "
      + "and logins beyond the bound get a fast 503 with Retry-After")
  void burst() {
    String email = UsersFixture.email("burst");
    users.register(email);
    users.login(email, UsersFixture.PASSWORD);

    // a first burst brings the code paths to compiled speed; the second one is measured
    Future.join(burstOfLogins(email, System.nanoTime())).await();
    List<Long> before = probe(new AtomicBoolean(), PROBES_BEFORE).await();

    AtomicBoolean burstOver = new AtomicBoolean();
    Future<List<Long>> during = probe(burstOver, Integer.MAX_VALUE);
    long burstStart = System.nanoTime();
    List<Future<Timed>> logins = burstOfLogins(email, burstStart);
    Future.join(logins).await();
    long burstMillis = (System.nanoTime() - burstStart) / 1_000_000;
    burstOver.set(true);
    List<Long> probesDuring = during.await();

    List<Timed> results = logins.stream().map(Future::result).toList();
    List<Timed> ok = results.stream().filter(t -> t.response().statusCode() == 200).toList();
    List<Timed> refused = results.stream().filter(t -> t.response().statusCode() == 503).toList();
    List<Long> okMicros = ok.stream().map(Timed::micros).toList();
    List<Long> refusedMicros = refused.stream().map(Timed::micros).toList();

    System.out.printf("/health/live before the burst: %d probes, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        before.size(), percentileMillis(before, 50), percentileMillis(before, 99), percentileMillis(before, 100));
    System.out.printf("/health/live during the burst: %d probes, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        probesDuring.size(), percentileMillis(probesDuring, 50), percentileMillis(probesDuring, 99),
        percentileMillis(probesDuring, 100));
    System.out.printf("burst of %d logins (after a warm-up burst) in %d ms: %d x 200 (min %.1f, p50 %.1f, max %.1f ms),"
            + " %d x 503 (min %.1f, p50 %.1f, max %.1f ms)%n", BURST, burstMillis,
        ok.size(), percentileMillis(okMicros, 0), percentileMillis(okMicros, 50), percentileMillis(okMicros, 100),
        refused.size(), percentileMillis(refusedMicros, 0), percentileMillis(refusedMicros, 50),
        percentileMillis(refusedMicros, 100));

    assertThat(ok.size() + refused.size()).as("every login is either served or refused").isEqualTo(BURST);
    assertThat(ok.size()).isGreaterThanOrEqualTo(MAX_QUEUED);
    assertThat(refused).as("the bound was reached").isNotEmpty().allSatisfy(t -> {
      assertThat(t.response().getHeader("Retry-After")).isEqualTo("2");
      assertThat(t.response().getHeader("Content-Type")).isEqualTo("application/problem+json");
    });
    assertThat(percentileMillis(refusedMicros, 100))
        .as("the slowest refusal arrives before the median accepted login: refusals do not queue")
        .isLessThan(percentileMillis(okMicros, 50));
    assertThat(probesDuring).as("/health/live answered during the burst").isNotEmpty();
    assertThat(blockedThreads.list).as("Vert.x blocked-thread warnings").isEmpty();
    assertThat(users.get("/metrics", null).bodyAsString())
        .contains("shopmesh_worker_queue_depth{pool=\"passwords\"")
        .contains("shopmesh_worker_wait_seconds_count{pool=\"passwords\"")
        .containsPattern("shopmesh_worker_rejected_total\\{pool=\"passwords\",service=\"users\"} [1-9]");
  }
}
