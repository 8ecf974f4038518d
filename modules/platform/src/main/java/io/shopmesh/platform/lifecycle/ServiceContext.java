package io.shopmesh.platform.lifecycle;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopmesh.platform.config.DiscoveryConfig;
import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.config.RedisConfig;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.db.Migrations;
import io.shopmesh.platform.db.PgPools;
import io.shopmesh.platform.discovery.ServiceInstance;
import io.shopmesh.platform.discovery.ServiceRegistries;
import io.shopmesh.platform.discovery.ServiceRegistry;
import io.shopmesh.platform.health.Readiness;
import io.shopmesh.platform.http.HttpServerVerticle;
import io.shopmesh.platform.http.ServiceRouter;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What a service's {@code *Main} works with while it starts: Vert.x, its settings, its metrics
 * registry, its readiness checks and its shutdown sequence. Each resource created here is
 * probed by readiness and released on shutdown in the right phase, so a Main only wires.
 */
public final class ServiceContext {

  private final String name;
  private final Vertx vertx;
  private final Settings settings;
  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;
  private final Shutdown shutdown;
  private volatile int httpPort = -1;
  private final AtomicReference<Router> servedRouter = new AtomicReference<>();
  private final Queue<String> stepTimes = new ConcurrentLinkedQueue<>();
  private volatile boolean started;

  public ServiceContext(String name, Vertx vertx, Settings settings, PrometheusMeterRegistry registry) {
    this.name = name;
    this.vertx = vertx;
    this.settings = settings;
    this.registry = registry;
    this.readiness = new Readiness(vertx);
    // the start runs independent steps side by side and may serve HTTP before its last step is done
    readiness.check("start", true, () -> started ? Future.succeededFuture()
        : Future.failedFuture("the service is still starting"));
    Duration grace = settings.duration("http.shutdownGrace", Duration.ofSeconds(20));
    this.shutdown = new Shutdown(vertx, grace.plusSeconds(5));
  }

  public String name() {
    return name;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Settings settings() {
    return settings;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Readiness readiness() {
    return readiness;
  }

  /**
   * The route table of the first HTTP server served (empty before {@link #serveHttp}), so tests can
   * derive their cases from the routes that really exist: a new route is covered without a new test.
   */
  public List<Route> routes() {
    Router router = servedRouter.get();
    return router == null ? List.of() : router.getRoutes();
  }

  /** The bound HTTP port once {@link #serveHttp} has completed, -1 before. */
  public int httpPort() {
    return httpPort;
  }

  /**
   * Runs one step of the start and remembers how long it took, for the ready line ({@link #stepTimes()}).
   * Steps that do not depend on each other are started together, so that one step's round trips
   * (database, Kafka, the users service) overlap another's work; most of a start is loading and
   * compiling classes, though, which steps side by side share the same cores for.
   */
  public <T> Future<T> step(String what, Supplier<Future<T>> step) {
    long begun = System.nanoTime();
    Future<T> done;
    try {
      done = step.get();
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.andThen(ar -> stepTimes.add(what + " " + (System.nanoTime() - begun) / 1_000_000 + " ms"
        + (ar.failed() ? " (failed)" : "")));
  }

  /** The steps of the start in the order they finished, each with its duration, e.g. {@code migrations 412 ms}. */
  public List<String> stepTimes() {
    return List.copyOf(stepTimes);
  }

  /** Runs {@code starter}; once it has succeeded the {@code start} readiness check passes. */
  public Future<?> start(ServiceStarter starter) {
    return starter.start(this).onSuccess(v -> started = true);
  }

  /** The service's Postgres pool: a critical readiness check, closed last on shutdown. */
  public Pool postgres(PgConfig config) {
    Pool pool = PgPools.create(vertx, config, name + "-pg");
    readiness.check("postgres", true, () -> pool.query("SELECT 1").execute());
    onShutdown(Shutdown.Phase.RESOURCES, "postgres pool", pool::close);
    return pool;
  }

  /**
   * Applies the service's own migrations ({@code classpath:db/migration}); {@code pool} (the
   * service's, from {@link #postgres}) reads the history to tell whether Flyway has anything to do.
   */
  public Future<Integer> migrate(PgConfig config, Pool pool) {
    return Migrations.apply(vertx, config, pool, "flyway_schema_history", "classpath:db/migration");
  }

  /** A Redis client; {@code critical} decides whether Redis being down makes the instance unready. */
  public Redis redis(RedisConfig config, boolean critical) {
    Redis redis = Redis.createClient(vertx, config.options());
    readiness.check("redis", critical, () -> redis.send(Request.cmd(Command.PING)));
    onShutdown(Shutdown.Phase.RESOURCES, "redis client", redis::close);
    return redis;
  }

  /** Probes the Kafka cluster for readiness; {@code critical} as for {@link #redis}. */
  public void kafkaReadiness(KafkaConfig config, boolean critical) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of(
        "bootstrap.servers", config.bootstrap(),
        "client.id", name + "-readiness",
        "request.timeout.ms", "1500",
        "default.api.timeout.ms", "1800",
        "reconnect.backoff.max.ms", "1000"));
    readiness.check("kafka", critical, admin::describeCluster);
    onShutdown(Shutdown.Phase.RESOURCES, "kafka readiness client", admin::close);
  }

  /** A router builder with this service's readiness and metrics already in place. */
  public ServiceRouter router(Vertx vertx, HttpConfig http) {
    return ServiceRouter.builder(vertx, readiness, registry, http.bodyLimit());
  }

  /**
   * Serves {@code routes} on {@code http.port} with one verticle per event loop; the servers are
   * drained in the HTTP phase of shutdown.
   *
   * @return the bound port
   */
  public Future<Integer> serveHttp(HttpConfig http, Function<Vertx, Router> routes) {
    return serveHttp(http, routes, UnaryOperator.identity());
  }

  /**
   * Like {@link #serveHttp(HttpConfig, Function)} with adjusted server options (e.g. a second,
   * TLS server). The first server served is the one {@link #httpPort()} and discovery report.
   */
  public Future<Integer> serveHttp(HttpConfig http, Function<Vertx, Router> routes,
                                   UnaryOperator<HttpServerOptions> customizer) {
    AtomicReference<HttpServerVerticle> first = new AtomicReference<>();
    int instances = settings.integer("http.instances", Runtime.getRuntime().availableProcessors(), 1, 64);
    Function<Vertx, Router> recorded = routes.andThen(router -> {
      servedRouter.compareAndSet(null, router);
      return router;
    });
    return deploy("http server", Shutdown.Phase.HTTP, () -> {
      HttpServerVerticle verticle = new HttpServerVerticle(http, recorded, customizer);
      first.compareAndSet(null, verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances)).map(id -> {
      int port = first.get().actualPort();
      if (httpPort < 0) {
        httpPort = port;
      }
      return port;
    });
  }

  /**
   * Announces this instance (at {@link #httpPort()}, or {@code discovery.advertisedPort} when set)
   * in discovery, with its readiness at every heartbeat: gateways skip it while it is not ready
   * (as Kubernetes does with an unready pod). On shutdown it is withdrawn first, then keeps serving for
   * {@code discovery.drainDelay} so gateways that still hold the old instance list finish with it
   * before the HTTP server stops accepting. With the static
   * backend nothing is announced (the gateway's list is configuration); with Kubernetes only the
   * delay applies (the cluster removes the pod from its Service's endpoints meanwhile). Announcing is
   * the last step of a start: from here on the {@code start} readiness check passes, so the first
   * announcement already says ready.
   */
  public Future<Void> announce(DiscoveryConfig config) {
    started = true;
    if (config.backend().equals("static")) {
      return Future.succeededFuture();
    }
    Duration drainDelay = settings.duration("discovery.drainDelay", Duration.ofSeconds(3));
    ServiceRegistry registry = config.backend().equals("redis") ? ServiceRegistries.create(vertx, config) : null;
    onShutdown(Shutdown.Phase.DISCOVERY, "discovery", () -> {
      Promise<Void> drained = Promise.promise();
      Future<Void> withdrawn = registry == null ? Future.succeededFuture() : registry.deregister();
      withdrawn.onComplete(ar -> vertx.setTimer(Math.max(1, drainDelay.toMillis()), t -> drained.complete()));
      return registry == null ? drained.future() : drained.future().eventually(registry::close);
    });
    if (registry == null) {
      return Future.succeededFuture();
    }
    int port = config.advertisedPort() > 0 ? config.advertisedPort() : httpPort;
    return registry.register(new ServiceInstance(name, name + "-" + UUID.randomUUID(), config.advertisedHost(),
        port), readiness::ready);
  }

  /** Deploys verticles and undeploys them in {@code phase} of shutdown. */
  public Future<String> deploy(String what, Shutdown.Phase phase, Supplier<? extends Deployable> verticles,
                               DeploymentOptions options) {
    return vertx.deployVerticle(verticles, options).onSuccess(id ->
        onShutdown(phase, what, () -> vertx.undeploy(id)));
  }

  public void onShutdown(Shutdown.Phase phase, String what, Supplier<Future<?>> step) {
    shutdown.add(phase, what, step);
  }

  /** Runs the shutdown sequence (idempotent); Vert.x itself is closed by the caller. */
  public Future<Void> shutdown() {
    return shutdown.run();
  }
}
