package io.shopmesh.events.outbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Decides which instance of a service relays its outbox: the one holding a session-level
 * {@code pg_try_advisory_lock} on a dedicated connection. Postgres releases the lock when that
 * session ends (process killed, network gone, connection closed), and the standbys try every
 * {@code retry}, so one of them takes over within that interval. The same connection
 * {@code LISTEN}s to {@code outbox}, which the outbox trigger notifies at commit time.
 *
 * <p>Only the leader listens; a standby keeps its connection and only retries the lock.
 */
final class LeaderLock {

  /** Any constant works: each service has its own database, so the key only has to be unique there. */
  static final long LOCK_KEY = 0x73686f706d657368L;

  private static final Logger LOG = LoggerFactory.getLogger(LeaderLock.class);

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final Duration retry;
  private final Runnable onNotify;
  private final Runnable onLeader;
  private PgConnection connection;
  private boolean connecting;
  private boolean leader;
  private boolean closed;
  private boolean standbyLogged;
  private long timer = -1;

  LeaderLock(Vertx vertx, PgConnectOptions options, Duration retry, Runnable onNotify, Runnable onLeader) {
    this.vertx = vertx;
    this.options = options;
    this.retry = retry;
    this.onNotify = onNotify;
    this.onLeader = onLeader;
  }

  /** Makes the first attempt (which may leave this instance a standby) and keeps trying. */
  Future<Void> start() {
    timer = vertx.setPeriodic(retry.toMillis(), t -> tick());
    return tick();
  }

  boolean isLeader() {
    return leader;
  }

  /** Ends the session, which gives the lock to a standby, and stops competing. */
  Future<Void> close() {
    closed = true;
    leader = false;
    vertx.cancelTimer(timer);
    PgConnection c = connection;
    connection = null;
    return c == null ? Future.succeededFuture() : c.close();
  }

  private Future<Void> tick() {
    if (closed || connecting) {
      return Future.succeededFuture();
    }
    if (connection == null) {
      connecting = true;
      return PgConnection.connect(vertx, options)
          .onSuccess(c -> {
            connection = c;
            c.closeHandler(v -> {
              if (connection == c) {
                connection = null;
                lost("connection to Postgres closed");
              }
            });
            c.notificationHandler(n -> onNotify.run());
          })
          .onFailure(e -> LOG.warn("outbox relay cannot reach Postgres to compete for leadership: {}", e.getMessage()))
          .eventually(() -> {
            connecting = false;
            return Future.succeededFuture();
          })
          .compose(c -> closed ? c.close() : tryLock(c), e -> Future.succeededFuture());
    }
    return leader ? heartbeat(connection) : tryLock(connection);
  }

  private Future<Void> tryLock(PgConnection c) {
    return c.preparedQuery("SELECT pg_try_advisory_lock($1) AS acquired").execute(Tuple.of(LOCK_KEY))
        .compose(rows -> {
          if (!rows.iterator().next().getBoolean("acquired")) {
            if (!standbyLogged) {
              LOG.info("another instance relays the outbox; this one stands by");
              standbyLogged = true;
            }
            return Future.succeededFuture();
          }
          return c.query("LISTEN outbox").execute().map(r -> {
            if (connection == c && !closed) {
              leader = true;
              standbyLogged = false;
              LOG.info("this instance now relays the outbox");
              onLeader.run();
            }
            return null;
          });
        })
        .<Void>mapEmpty()
        .recover(e -> {
          c.close();
          return Future.succeededFuture();
        });
  }

  /**
   * A dead session is noticed here rather than at the next query of the relay; the timeout covers a
   * peer that vanished without closing the socket.
   */
  private Future<Void> heartbeat(PgConnection c) {
    long timeout = Math.max(2000, retry.toMillis());
    return c.query("SELECT 1").execute().timeout(timeout, TimeUnit.MILLISECONDS).<Void>mapEmpty().recover(e -> {
      c.close();
      return Future.succeededFuture();
    });
  }

  private void lost(String why) {
    if (leader) {
      leader = false;
      LOG.warn("this instance no longer relays the outbox: {}", why);
    }
  }
}
