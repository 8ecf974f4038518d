package io.shopmesh.events;

import io.shopmesh.devstack.ServiceDatabase;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.db.Migrations;
import io.shopmesh.platform.db.PgPools;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A start skips Flyway only when the history table records exactly the shipped migrations;
 * everything else goes to Flyway, which migrates or refuses. Real PostgreSQL, the events module's
 * own migrations ({@code classpath:db/events}, two scripts).
 */
@ExtendWith({VertxExtension.class, InfraExtension.class})
class MigrationsTest {

  private static final String HISTORY = "flyway_events_history";
  private static final String LOCATION = "classpath:db/events";

  private Vertx vertx;
  private PgConfig db;
  private Pool pool;

  @BeforeEach
  void setUp(Vertx vertx, TestEnv env, TestInfo test) {
    this.vertx = vertx;
    // a database of its own per test: each starts without any table
    ServiceDatabase database = env.database("migrations_" + test.getTestMethod().orElseThrow().getName().toLowerCase());
    this.db = new PgConfig(database.url(), database.password(), 2, 10_000, Duration.ofSeconds(5));
    this.pool = PgPools.create(vertx, db, "test");
  }

  @AfterEach
  void tearDown() {
    pool.close().await();
  }

  @Test
  @DisplayName("a fresh database is not current and Flyway applies every script; then it is current (Flyway's"
      + " checksums match the shipped scripts) and a second start applies nothing")
  void freshThenCurrent() {
    assertThat(current()).as("no history table yet").isFalse();
    assertThat(Migrations.apply(vertx, db, pool, HISTORY, LOCATION).await()).isEqualTo(2);
    assertThat(current()).isTrue();
    assertThat(Migrations.apply(vertx, db, pool, HISTORY, LOCATION).await()).isZero();
    assertThat(sql("SELECT count(*) FROM " + HISTORY + " WHERE type = 'SQL'")).isEqualTo(2);
  }

  @Test
  @DisplayName("a shipped script missing from the history is not current, and the next start applies it")
  void missingScript() {
    Migrations.apply(vertx, db, pool, HISTORY, LOCATION).await();
    sql("DELETE FROM " + HISTORY + " WHERE version = '2'");
    assertThat(current()).isFalse();
    assertThat(Migrations.apply(vertx, db, pool, HISTORY, LOCATION).await()).isEqualTo(1);
    assertThat(current()).isTrue();
  }

  @Test
  @DisplayName("a script changed after it was applied is not current, and the start fails with Flyway's"
      + " checksum refusal instead of starting on an unknown schema")
  void changedScript() {
    Migrations.apply(vertx, db, pool, HISTORY, LOCATION).await();
    sql("UPDATE " + HISTORY + " SET checksum = checksum + 1 WHERE version = '2'");
    assertThat(current()).isFalse();
    assertThatThrownBy(() -> Migrations.apply(vertx, db, pool, HISTORY, LOCATION).await())
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  @DisplayName("a failed entry, or one the shipped scripts do not know (a newer release's), is not current")
  void failedOrUnknownEntries() {
    Migrations.apply(vertx, db, pool, HISTORY, LOCATION).await();
    sql("UPDATE " + HISTORY + " SET success = false WHERE version = '2'");
    assertThat(current()).as("failed entry").isFalse();
    sql("UPDATE " + HISTORY + " SET success = true WHERE version = '2'");
    assertThat(current()).isTrue();
    sql("INSERT INTO " + HISTORY + " (installed_rank, version, description, type, script, checksum, installed_by,"
        + " execution_time, success) SELECT max(installed_rank) + 1, '3', 'newer', 'SQL', 'V3__newer.sql', 1,"
        + " current_user, 1, true FROM " + HISTORY);
    assertThat(current()).as("entry of a newer release").isFalse();
  }

  private boolean current() {
    return Migrations.current(vertx, pool, HISTORY, LOCATION).await();
  }

  private long sql(String statement) {
    var rows = pool.query(statement).execute().await();
    return rows.iterator().hasNext() && rows.columnsNames() != null && rows.columnsNames().size() == 1
        ? rows.iterator().next().getLong(0) : rows.rowCount();
  }
}
