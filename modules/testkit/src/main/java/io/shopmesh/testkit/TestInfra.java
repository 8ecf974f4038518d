package io.shopmesh.testkit;

import io.shopmesh.devstack.KafkaBroker;
import io.shopmesh.devstack.Ports;
import io.shopmesh.devstack.PostgresServer;
import io.shopmesh.devstack.RedisServer;
import io.shopmesh.devstack.ScratchDir;
import io.shopmesh.devstack.ShutdownSequence;

import java.nio.file.Path;

/**
 * The real PostgreSQL, Redis and Kafka shared by every test of one JVM. Each server is started
 * on first use (a test that needs only Postgres never waits for Kafka), on free ports, with its
 * data under a fresh directory in the system temp dir, and stopped when the JVM ends, when the
 * directory is removed too.
 *
 * <p>Tests never share state through it: each test class gets its own databases, topic prefix
 * and Redis key prefix from {@link TestEnv}.
 */
public final class TestInfra {

  private static TestInfra instance;

  private final ScratchDir dir;
  private final Path root;
  private PostgresServer postgres;
  private RedisServer redis;
  private KafkaBroker kafka;

  private TestInfra(ScratchDir dir) {
    this.dir = dir;
    this.root = dir.path();
  }

  /** The infrastructure of this JVM. */
  public static synchronized TestInfra get() {
    if (instance == null) {
      instance = new TestInfra(ScratchDir.create("shopmesh-test-"));
      // registered before any server: runs after they all stopped, so nothing writes to the directory any more
      ShutdownSequence.register("test infrastructure", instance::stopAll);
    }
    return instance;
  }

  public synchronized PostgresServer postgres() {
    if (postgres == null) {
      postgres = PostgresServer.start(root.resolve("postgres"), Ports.freePort());
    }
    return postgres;
  }

  public synchronized RedisServer redis() {
    if (redis == null) {
      redis = RedisServer.start(root.resolve("redis"), Ports.freePort());
    }
    return redis;
  }

  public synchronized KafkaBroker kafka() {
    if (kafka == null) {
      kafka = KafkaBroker.start(root.resolve("kafka"), Ports.freePort(), Ports.freePort());
    }
    return kafka;
  }

  private synchronized void stopAll() {
    if (kafka != null) {
      kafka.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    dir.close();
  }
}
