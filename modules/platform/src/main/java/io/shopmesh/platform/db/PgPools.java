package io.shopmesh.platform.db;

import io.shopmesh.platform.config.PgConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.concurrent.TimeUnit;

/** Builds the one Postgres pool of a service, bounded on both sides: connections and waiters. */
public final class PgPools {

  private PgPools() {
  }

  public static Pool create(Vertx vertx, PgConfig config, String name) {
    PoolOptions pool = new PoolOptions()
        .setName(name)
        .setMaxSize(config.poolSize())
        .setMaxWaitQueueSize(config.maxWaitQueue())
        .setConnectionTimeout((int) config.connectTimeout().toMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setIdleTimeout(5)
        .setIdleTimeoutUnit(TimeUnit.MINUTES);
    return PgBuilder.pool()
        .with(pool)
        .with(new NetClientOptions().setConnectTimeout((int) config.connectTimeout().toMillis()))
        .connectingTo(config.connectOptions())
        .using(vertx)
        .build();
  }
}
