package io.shopmesh.platform.db;

import io.shopmesh.platform.config.PgConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Applies a service's Flyway migrations to its own database. Flyway speaks JDBC, which blocks,
 * so it runs on a dedicated worker pool and never on an event loop. The pool has two threads: a
 * service's own migrations and the events tables, each with its own history table (and so its own
 * Flyway lock), are applied side by side.
 *
 * <p>Most starts find the database up to date (a restart, another instance scaling out), and
 * Flyway costs seconds of a start on a busy machine (loading and compiling it, a JDBC connection,
 * its scan and validation). So a start first compares the history table, read with the reactive
 * client, with the scripts it ships ({@link BundledMigrations}): when every shipped script is
 * applied with the same checksum and nothing else is recorded, Flyway is not run at all. Anything
 * else (a new script, a changed one, a failed or unknown entry, no history yet, the check failing)
 * runs Flyway as before, which migrates or refuses with its own message.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final String POOL = "shopmesh-migrations";
  private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*");

  private Migrations() {
  }

  /**
   * @param client       reads the history table for the check; the service's own pool, so that the
   *                     connection it opens (a cold start's costliest query) serves the service next
   * @param historyTable Flyway's bookkeeping table; modules that ship their own tables (events)
   *                     use their own history so their versions never collide with the service's
   * @param locations    e.g. {@code classpath:db/migration}
   * @return the number of migrations applied
   */
  public static Future<Integer> apply(Vertx vertx, PgConfig db, SqlClient client, String historyTable,
                                      String... locations) {
    long started = System.nanoTime();
    return current(vertx, client, historyTable, locations)
        .recover(e -> {
          LOG.debug("cannot compare {} with the shipped migrations ({}); Flyway decides", historyTable, e.toString());
          return Future.succeededFuture(false);
        })
        .compose(current -> {
          if (current) {
            LOG.info("database {} is up to date ({} lists every migration from {}; checked in {} ms)",
                db.jdbcUrl(), historyTable, String.join(",", locations), (System.nanoTime() - started) / 1_000_000);
            return Future.succeededFuture(0);
          }
          WorkerExecutor worker = vertx.createSharedWorkerExecutor(POOL, 2);
          return worker.executeBlocking(() -> flyway(db, historyTable, locations, started)).eventually(worker::close);
        });
  }

  /**
   * Whether {@code historyTable} records exactly the migrations shipped in {@code locations}, all
   * applied, each with the checksum of the shipped script; false also when the table is missing or
   * something is shipped that only Flyway understands (see {@link BundledMigrations}).
   */
  public static Future<Boolean> current(Vertx vertx, SqlClient client, String historyTable, String... locations) {
    if (!TABLE.matcher(historyTable).matches()) {
      return Future.failedFuture(new IllegalArgumentException("not a plain table name: " + historyTable));
    }
    WorkerExecutor worker = vertx.createSharedWorkerExecutor(POOL, 2);
    return worker.executeBlocking(() -> BundledMigrations.read(Migrations.class.getClassLoader(), locations))
        .eventually(worker::close)
        .compose(bundled -> !bundled.plain() || bundled.scripts().isEmpty() ? Future.succeededFuture(false)
            : client.query("SELECT type, script, checksum, success FROM " + historyTable).execute()
                .map(rows -> recordsExactly(rows, bundled.scripts()))
                .recover(e -> e instanceof PgException pg && "42P01".equals(pg.getSqlState())
                    ? Future.succeededFuture(false) : Future.failedFuture(e)));
  }

  private static boolean recordsExactly(Iterable<Row> history, Map<String, Integer> shipped) {
    Map<String, Integer> applied = new HashMap<>();
    for (Row row : history) {
      String type = row.getString("type");
      if (!Boolean.TRUE.equals(row.getBoolean("success"))) {
        return false;
      }
      if ("SQL".equals(type)) {
        applied.put(row.getString("script"), row.getInteger("checksum"));
      } else if (!"BASELINE".equals(type)) {
        return false;
      }
    }
    return applied.equals(shipped);
  }

  private static int flyway(PgConfig db, String historyTable, String[] locations, long started) {
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
    LOG.info("database {} is up to date ({} migrations applied from {} by Flyway, in {} ms)", db.jdbcUrl(), applied,
        String.join(",", locations), (System.nanoTime() - started) / 1_000_000);
    return applied;
  }
}
