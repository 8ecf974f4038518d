package io.shopmesh.platform.config;

import io.vertx.pgclient.PgConnectOptions;

import java.time.Duration;

/**
 * The service's own PostgreSQL database.
 *
 * @param url          libpq URL without password: {@code postgresql://orders@db.internal:5432/orders}
 * @param password     kept apart from the URL so it can come from a secret (env {@code SHOPMESH_DB_PASSWORD})
 * @param poolSize     connections in the pool
 * @param maxWaitQueue requests allowed to wait for a connection; beyond it they fail fast (503)
 */
public record PgConfig(String url, String password, int poolSize, int maxWaitQueue, Duration connectTimeout) {

  public static PgConfig from(Settings s) {
    String url = s.parsed("db.url", "a URL such as postgresql://user@host:5432/database", u -> {
      PgConnectOptions.fromUri(u);
      return u;
    });
    return new PgConfig(url,
        s.string("db.password", ""),
        s.integer("db.poolSize", 8, 1, 256),
        s.integer("db.maxWaitQueue", 256, 0, 100_000),
        s.duration("db.connectTimeout", Duration.ofSeconds(5)));
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions options = PgConnectOptions.fromUri(url)
        .setPipeliningLimit(256)
        .setCachePreparedStatements(true);
    if (!password.isEmpty()) {
      options.setPassword(password);
    }
    return options;
  }

  /** The same database for JDBC tools (Flyway), which run on a worker thread. */
  public String jdbcUrl() {
    PgConnectOptions o = PgConnectOptions.fromUri(url);
    return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  public String user() {
    return PgConnectOptions.fromUri(url).getUser();
  }

  @Override
  public String toString() {
    return "PgConfig[url=" + url + ", poolSize=" + poolSize + ", maxWaitQueue=" + maxWaitQueue + "]";
  }
}
