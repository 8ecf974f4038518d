package io.shopmesh.testkit;

import io.shopmesh.devstack.KafkaBroker;
import io.shopmesh.devstack.Ports;
import io.shopmesh.devstack.PostgresServer;
import io.shopmesh.devstack.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The real PostgreSQL, Redis and Kafka shared by every test of one JVM. Each server is started
 * on first use (a test that needs only Postgres never waits for Kafka), on free ports, with its
 * data under a fresh directory in the system temp dir, and stopped when the JVM ends.
 *
 * <p>Tests never share state through it: each test class gets its own databases, topic prefix
 * and Redis key prefix from {@link TestEnv}.
 */
public final class TestInfra {

  private static TestInfra instance;

  private final Path root;
  private PostgresServer postgres;
  private RedisServer redis;
  private KafkaBroker kafka;

  private TestInfra(Path root) {
    this.root = root;
  }

  /** The infrastructure of this JVM. */
  public static synchronized TestInfra get() {
    if (instance == null) {
      try {
        // Postgres runs as 'nobody' when tests run as root: the data must be reachable by it
        Path root = Files.createTempDirectory("shopmesh-test-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        instance = new TestInfra(root);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stopAll, "shopmesh-test-infra-stop"));
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
  }
}
