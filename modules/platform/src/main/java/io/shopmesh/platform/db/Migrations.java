package io.shopmesh.platform.db;

import io.shopmesh.platform.config.PgConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a service's Flyway migrations to its own database. Flyway speaks JDBC, which blocks,
 * so it runs on a dedicated worker pool and never on an event loop. The pool has two threads: a
 * service's own migrations and the events tables, each with its own history table (and so its own
 * Flyway lock), are applied side by side.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  /**
   * @param historyTable Flyway's bookkeeping table; modules that ship their own tables (events)
   *                     use their own history so their versions never collide with the service's
   * @param locations    e.g. {@code classpath:db/migration}
   * @return the number of migrations applied
   */
  public static Future<Integer> apply(Vertx vertx, PgConfig db, String historyTable, String... locations) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("shopmesh-migrations", 2);
    return worker.<Integer>executeBlocking(() -> {
      long started = System.nanoTime();
      int applied = Flyway.configure()
          .dataSource(db.jdbcUrl(), db.user(), db.password())
          .locations(locations)
          .table(historyTable)
          // a service's own migrations and the events tables share one schema, each with its own
          // history: whichever finds the other's tables there first must still apply from V1
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .connectRetries(10)
          .load()
          .migrate()
          .migrationsExecuted;
      LOG.info("database {} is up to date ({} migrations applied from {}, in {} ms)", db.jdbcUrl(), applied,
          String.join(",", locations), (System.nanoTime() - started) / 1_000_000);
      return applied;
    }).eventually(worker::close);
  }
}
