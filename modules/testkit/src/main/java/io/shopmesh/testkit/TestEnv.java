package io.shopmesh.testkit;

import io.shopmesh.devstack.ServiceDatabase;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One test class's slice of the shared infrastructure: a fresh database per service role, its own
 * Kafka topic prefix and its own Redis key prefix, so no test sees another's leftovers. Obtained
 * as a parameter through {@link InfraExtension}; its databases are dropped after the class.
 */
public final class TestEnv implements AutoCloseable {

  private static final String ROLE_PASSWORD = "test-" + UUID.randomUUID();

  private final TestInfra infra;
  private final String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final Map<String, ServiceDatabase> databases = new HashMap<>();
  private final List<String> created = new ArrayList<>();

  TestEnv(TestInfra infra) {
    this.infra = infra;
  }

  /**
   * A slice for tests that run outside JUnit Jupiter's lifecycle (jqwik properties, whose containers
   * take no Jupiter extensions); {@link #close()} drops its databases.
   */
  public static TestEnv standalone() {
    return new TestEnv(TestInfra.get());
  }

  /** Drops this slice's databases (what {@link InfraExtension} does after a class). */
  @Override
  public void close() {
    dropDatabases();
  }

  public TestInfra infra() {
    return infra;
  }

  /** A short id unique to this test class, used in database names and prefixes. */
  public String id() {
    return id;
  }

  /** This class's own database for {@code service}, reachable only by that service's role. */
  public synchronized ServiceDatabase database(String service) {
    return databases.computeIfAbsent(service, s -> {
      infra.postgres().createServiceDatabase(s, ROLE_PASSWORD);
      ServiceDatabase db = infra.postgres().createDatabase(s, s + "_" + id, ROLE_PASSWORD);
      created.add(db.database());
      return db;
    });
  }

  public String redisUrl() {
    return infra.redis().url();
  }

  public String redisKeyPrefix() {
    return id + ":";
  }

  public String kafkaBootstrap() {
    return infra.kafka().bootstrap();
  }

  public String topicPrefix() {
    return id + ".";
  }

  /**
   * Settings for running {@code service} in-process against this environment: HTTP on port 0,
   * its database, Redis and Kafka with this class's prefixes. Callers add service-specific keys.
   */
  public JsonObject settings(String service, boolean db, boolean redis, boolean kafka) {
    JsonObject s = new JsonObject().put("http", new JsonObject().put("port", 0).put("host", "127.0.0.1")
        .put("instances", 1).put("shutdownGrace", "2s"));
    if (db) {
      ServiceDatabase database = database(service);
      s.put("db", new JsonObject().put("url", database.url()).put("password", database.password()).put("poolSize", 4));
    }
    if (redis) {
      s.put("redis", new JsonObject().put("url", redisUrl()).put("keyPrefix", redisKeyPrefix()));
    }
    if (kafka) {
      s.put("kafka", new JsonObject().put("bootstrap", kafkaBootstrap()).put("topicPrefix", topicPrefix()));
    }
    return s;
  }

  synchronized void dropDatabases() {
    created.forEach(db -> infra.postgres().dropDatabase(db));
    created.clear();
    databases.clear();
  }
}
