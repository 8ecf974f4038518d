package io.shopmesh.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.shopmesh.devstack.ServiceDatabase;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.db.PgPools;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test wiring of the backbone on the embedded infrastructure: one database per test class
 * (role {@code orders}) with the events tables and the fixture tables of {@link TestHandlers},
 * and a topic prefix per test method so no test reads another's records.
 */
public final class Backbone {

  public static final String ROLE = "orders";

  private static final String FIXTURES = """
      CREATE TABLE IF NOT EXISTS effects (consumer text NOT NULL, event_id uuid NOT NULL, type text NOT NULL,
        aggregate_id text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
      CREATE TABLE IF NOT EXISTS order_view (consumer text NOT NULL, order_id text NOT NULL, status text NOT NULL,
        lines int NOT NULL, total_cents bigint NOT NULL DEFAULT 0, PRIMARY KEY (consumer, order_id));
      CREATE TABLE IF NOT EXISTS order_totals (consumer text PRIMARY KEY, placed bigint NOT NULL DEFAULT 0,
        confirmed_cents bigint NOT NULL DEFAULT 0, cancelled bigint NOT NULL DEFAULT 0);
      """;

  private Backbone() {
  }

  public static PgConfig db(TestEnv env) {
    ServiceDatabase db = env.database(ROLE);
    return new PgConfig(db.url(), db.password(), 6, 10_000, Duration.ofSeconds(5));
  }

  /** Applies the events migrations and creates the fixture tables (once per class). */
  public static void prepare(TestEnv env) {
    Vertx vertx = Vertx.vertx();
    try {
      PgConfig db = db(env);
      Pool pool = PgPools.create(vertx, db, "prepare");
      Events.migrate(vertx, db, pool).await();
      pool.query(FIXTURES).execute().await();
      pool.close().await();
    } finally {
      vertx.close().await();
    }
  }

  /** A fresh pool on the test's Vert.x, with the outbox, inbox and fixture tables emptied. */
  public static Pool freshPool(Vertx vertx, TestEnv env) {
    Pool pool = PgPools.create(vertx, db(env), "test");
    pool.query("TRUNCATE outbox, inbox, effects, order_view, order_totals").execute().await();
    return pool;
  }

  /** Kafka with a prefix of its own for the running test method. */
  public static KafkaConfig kafka(TestEnv env, TestInfo test) {
    String method = test.getTestMethod().map(m -> m.getName()).orElse("x");
    String id = Integer.toHexString((method + UUID.randomUUID()).hashCode());
    return new KafkaConfig(env.kafkaBootstrap(), env.topicPrefix() + id + ".");
  }

  public static Settings settings(JsonObject dotted) {
    return Settings.of(new JsonObject()).with(dotted);
  }

  /** Appends {@code events} in one committed transaction. */
  public static List<Envelope> commit(Pool pool, KafkaConfig kafka, DomainEvent... events) {
    Outbox outbox = new Outbox(kafka);
    return pool.withTransaction(tx -> {
      Future<List<Envelope>> chain = Future.succeededFuture(new java.util.ArrayList<>());
      for (DomainEvent e : events) {
        chain = chain.compose(list -> outbox.append(tx, e).map(env -> {
          list.add(env);
          return list;
        }));
      }
      return chain;
    }).await();
  }

  public static long count(Pool pool, String sql, Object... params) {
    Row row = pool.preparedQuery(sql).execute(Tuple.wrap(params)).await().iterator().next();
    return row.getLong(0);
  }

  /** The sum of the counters {@code name} matching {@code tags} (key, value, ...). */
  public static double counter(MeterRegistry registry, String name, String... tags) {
    return Search.in(registry).name(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** The value of gauge {@code name} with {@code tags}, or NaN when it is not registered. */
  public static double gauge(MeterRegistry registry, String name, String... tags) {
    var gauge = Search.in(registry).name(name).tags(tags).gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  public static Map<String, Object> row(Pool pool, String sql, Object... params) {
    Row row = pool.preparedQuery(sql).execute(Tuple.wrap(params)).await().iterator().next();
    return row.toJson().getMap();
  }
}
