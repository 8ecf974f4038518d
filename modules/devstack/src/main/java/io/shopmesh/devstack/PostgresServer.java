package io.shopmesh.devstack;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server on 127.0.0.1 (zonky's embedded binaries) whose data survives
 * restarts and crashes: fsync and synchronous_commit are on, unlike zonky's defaults.
 *
 * <p>Authentication is real: only the superuser {@code postgres} is trusted (from loopback, for
 * provisioning); service roles log in with a SCRAM password and reach only their own database.
 * pg_hba.conf is rewritten before every start, so it is right from the first connection. The
 * server log goes to {@code postgres.log} next to the data directory.
 */
public final class PostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
  private static final String HOST = "127.0.0.1";

  private final Path dataDir;
  private final int port;
  private final DatabaseProvisioner provisioner;
  private Postmaster postmaster;
  private ShutdownSequence.Registration shutdown;

  private PostgresServer(Path dataDir, int port) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.port = port;
    this.provisioner = new DatabaseProvisioner(jdbcUrl("postgres"));
  }

  /**
   * Starts PostgreSQL on {@code port}, running initdb only when {@code dataDir} holds no cluster yet.
   *
   * @throws DevStackException if the port is taken or the data directory cannot be used
   */
  public static PostgresServer start(Path dataDir, int port) {
    PostgresServer server = new PostgresServer(dataDir, port);
    server.launch();
    return server;
  }

  public int port() {
    return port;
  }

  /** A JDBC URL for the superuser, e.g. {@code jdbc:postgresql://127.0.0.1:54320/orders?user=postgres}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + database + "?user=postgres";
  }

  /** Role {@code name} and database {@code name}, owned by it and closed to everyone else. */
  public ServiceDatabase createServiceDatabase(String name, String password) {
    return createDatabase(name, name, password);
  }

  /** Like {@link #createServiceDatabase} for a database named differently from its role (one per test class). */
  public synchronized ServiceDatabase createDatabase(String role, String database, String password) {
    try {
      provisioner.ensureRole(role, password);
      provisioner.ensureDatabase(database, role);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database + " for role " + role + ": "
          + e.getMessage(), e);
    }
    return new ServiceDatabase(HOST, port, database, role, password);
  }

  /** Drops {@code database}, disconnecting whoever is still connected. */
  public synchronized void dropDatabase(String database) {
    try {
      provisioner.dropDatabase(database);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop database " + database + ": " + e.getMessage(), e);
    }
  }

  /** A clean shutdown (fast mode: sessions are disconnected, a checkpoint is written); data is kept. */
  public synchronized void stop() {
    if (postmaster != null) {
      postmaster.stop();
      forget();
    }
  }

  /** Starts again on the same directory and port, stopping first if still running. */
  public synchronized void restart() {
    stop();
    launch();
  }

  /**
   * SIGKILLs the server and its backends, as a crash would; {@link #restart()} then runs crash
   * recovery, and every committed transaction is still there.
   */
  public synchronized void kill() {
    if (postmaster != null) {
      postmaster.kill();
      forget();
      LOG.info("PostgreSQL on port {} killed", port);
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** The server's pid while it runs. */
  public synchronized OptionalLong postmasterPid() {
    return postmaster == null ? OptionalLong.empty() : postmaster.pid();
  }

  private void launch() {
    // Otherwise zonky's readiness probe could be answered by another server on this port.
    Ports.requireFree(port, "postgres", "--pg-port");
    PostgresDataDir.requireUsable(dataDir);
    postmaster = Postmaster.start(dataDir, port, HOST, dataDir.resolveSibling("postgres.log"));
    shutdown = ShutdownSequence.register("postgres:" + port, this::stop);
    LOG.info("PostgreSQL ready on {}:{} (data in {})", HOST, port, dataDir);
  }

  private void forget() {
    postmaster = null;
    shutdown.cancel();
  }
}
