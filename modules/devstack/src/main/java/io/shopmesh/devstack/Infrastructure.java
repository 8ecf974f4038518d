package io.shopmesh.devstack;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PostgreSQL (with one role and database per service), Redis and Kafka, started and stopped together. */
final class Infrastructure {

  private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);

  private PostgresServer postgres;
  private RedisServer redis;
  private KafkaBroker kafka;
  private final Map<MeshService, ServiceDatabase> databases = new EnumMap<>(MeshService.class);

  private Infrastructure() {
  }

  /**
   * The Kafka JVM is the slowest to boot, so it starts on its own thread while this one starts
   * PostgreSQL and Redis. On failure whatever did start is stopped again.
   */
  static Infrastructure start(DevStackOptions options, Secrets secrets, Executor background) {
    Path data = options.dataDir();
    LOG.info("starting PostgreSQL, Redis and Kafka (data in {})", data);
    Infrastructure infra = new Infrastructure();
    CompletableFuture<KafkaBroker> kafkaStarting = CompletableFuture.supplyAsync(
        () -> KafkaBroker.start(data.resolve("kafka"), options.kafkaPort(), options.kafkaControllerPort()), background);
    RuntimeException failure = null;
    try {
      infra.postgres = PostgresServer.start(data.resolve("postgres"), options.pgPort());
      infra.redis = RedisServer.start(data.resolve("redis"), options.redisPort());
      infra.provision(secrets);
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      infra.kafka = kafkaStarting.join();
    } catch (CompletionException e) {
      RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
      if (failure == null) {
        failure = cause;
      } else {
        failure.addSuppressed(cause);
      }
    }
    if (failure != null) {
      infra.stop();
      throw failure;
    }
    return infra;
  }

  PostgresServer postgres() {
    return postgres;
  }

  RedisServer redis() {
    return redis;
  }

  KafkaBroker kafka() {
    return kafka;
  }

  /** Each database-owning service's database, in {@link MeshService} order. */
  Map<MeshService, ServiceDatabase> databases() {
    return Collections.unmodifiableMap(databases);
  }

  /** Kafka, Redis, then PostgreSQL; one failing does not keep the others running. */
  void stop() {
    quietly("Kafka", kafka);
    quietly("Redis", redis);
    quietly("PostgreSQL", postgres);
  }

  private void provision(Secrets secrets) {
    for (MeshService service : MeshService.values()) {
      if (service.ownsDatabase()) {
        String name = service.serviceName();
        databases.put(service, postgres.createServiceDatabase(name, secrets.databasePassword(name)));
      }
    }
  }

  private static void quietly(String what, AutoCloseable server) {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed: {}", what, e.toString());
    }
  }
}
