package io.shopmesh.events.kafka;

import io.shopmesh.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Topic creation when the broker's name does not resolve (a DNS outage, a headless Service without pods). */
class KafkaTopicsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("a bootstrap host that does not resolve fails the returned future (the callers retry), it does not throw")
  void unresolvableBrokerFailsTheFuture() {
    KafkaConfig kafka = new KafkaConfig("no-such-broker.invalid:9092", "");
    // called as the relay's timer and the consumer's retry call it: a throw here would escape their retry loops
    Future<Void> ensured = KafkaTopics.ensure(vertx, kafka, Set.of("orders.events"), 1, (short) 1);
    Throwable failure = ensured.transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertThat(failure).as("the failure of ensure").isNotNull();
    assertThat(failure).hasStackTraceContaining("resolvable");
  }
}
