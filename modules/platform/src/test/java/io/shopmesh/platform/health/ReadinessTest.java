package io.shopmesh.platform.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("ready() follows the critical checks only, asked afresh each time")
  void readyFollowsCriticalChecks() {
    AtomicBoolean database = new AtomicBoolean(true);
    Readiness readiness = new Readiness(vertx)
        .check("postgres", true, () -> database.get() ? Future.succeededFuture() : Future.failedFuture("down"))
        .check("kafka", false, () -> Future.failedFuture("down"))
        .check("throws", false, () -> {
          throw new IllegalStateException("probe bug");
        });
    assertThat(readiness.ready().await()).as("critical up, non-critical down").isTrue();

    database.set(false);
    assertThat(readiness.ready().await()).as("critical down").isFalse();

    database.set(true);
    assertThat(readiness.ready().await()).as("critical back").isTrue();
  }
}
