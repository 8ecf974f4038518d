package io.shopmesh.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LoadGeneratorTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("an open loop starts rate x duration operations, each once, and counts the ones that went wrong")
  void openLoopRunsEveryOperationOnce() throws Exception {
    Set<Integer> started = ConcurrentHashMap.newKeySet();
    AtomicInteger repeated = new AtomicInteger();
    try (LoadGenerator load = new LoadGenerator(vertx, 1)) {
      Result result = load.openLoop("ops", 150, Duration.ofSeconds(2), i -> {
        if (!started.add(i)) {
          repeated.incrementAndGet();
        }
        return Future.succeededFuture(i % 50 != 7);
      }).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

      assertThat(repeated).as("operations started twice").hasValue(0);
      assertThat(started).hasSize(300).allMatch(i -> i >= 0 && i < 300);
      assertThat(result.requests()).isEqualTo(300);
      assertThat(result.errors()).as("every 50th operation reported failure").isEqualTo(6);
      assertThat(result.latency().getTotalCount()).isEqualTo(300);
    }
  }
}
