package io.shopmesh.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Shopmesh mesh on one machine: PostgreSQL, Redis and Kafka, one database and role per
 * service, then the four services as supervised JVMs (unless infra-only). Used by
 * {@code shopmesh dev} and by end-to-end tests.
 *
 * <p>Files, under the parent of the data directory ({@code .shopmesh/} by default):
 * {@code secrets.json} (generated once), {@code keys/} (the users service's signing key, generated
 * once), {@code endpoints.json} (while running), {@code logs/}, {@code tmp/} (the services' Vert.x file
 * caches, emptied at every start: a service killed with SIGKILL cannot remove its own).
 */
public final class DevStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);
  // the priority flags let work pools run at nice 19, below the event loops; the Tier4 thresholds keep the
  // optimising JIT off code that runs only at start, and Mac not inlined spares it compiling the SCRAM proof's
  // PBKDF2 loop whole (see README, "Running a service")
  private static final List<String> SERVICE_JVM_FLAGS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
      "-XX:+ExitOnOutOfMemoryError", "-XX:ThreadPriorityPolicy=1", "-XX:JavaPriority1_To_OSPriority=19",
      "-XX:Tier4InvocationThreshold=20000", "-XX:Tier4CompileThreshold=60000", "-XX:Tier4MinInvocationThreshold=2400",
      "-XX:Tier4BackEdgeThreshold=160000", "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,javax/crypto/Mac.*");
  private static final Duration SERVICES_READY_TIMEOUT = Duration.ofMinutes(2);
  private static final Executor OWN_THREAD = task -> {
    Thread thread = new Thread(task, "shopmesh-dev");
    thread.setDaemon(true);
    thread.start();
  };

  private final DevStackOptions options;
  private final DevSeed seed;
  private final Map<MeshService, Map<String, String>> serviceEnv = new EnumMap<>(MeshService.class);
  private final Map<MeshService, List<String>> jvmFlags = new EnumMap<>(MeshService.class);
  private Path classArchives;
  private final Map<MeshService, ServiceProcess> services = new EnumMap<>(MeshService.class);
  private Infrastructure infra;
  private Endpoints endpoints;
  private boolean started;
  private boolean stopped;

  public DevStack(DevStackOptions options) {
    this(options, DevSeed.NONE);
  }

  public DevStack(DevStackOptions options, DevSeed seed) {
    this.options = options;
    this.seed = seed;
  }

  /**
   * Starts everything and returns once every service answers {@code /health/ready} and the seed
   * step ran. On failure whatever was started is stopped again.
   *
   * @throws DevStackException for problems the user can fix (busy port, missing jar); its message is one line
   */
  public synchronized Endpoints start() {
    if (started) {
      throw new IllegalStateException("a DevStack starts once; create a new one");
    }
    started = true;
    DevStackPreflight.check(options);
    try {
      Secrets secrets = Secrets.loadOrCreate(options.stateDir().resolve("secrets.json"), databaseNames());
      infra = Infrastructure.start(options, secrets, OWN_THREAD);
      endpoints = Endpoints.of(options, infra, secrets);
      if (!options.infraOnly()) {
        DevKeys.ensure(options.keysDir());
        startServices(new ServiceEnvironment(options, endpoints, infra.databases(), serviceEnv));
      }
      endpoints.write(endpointsFile());
      // seeding goes through the gateway: with infra-only there is none yet (the developer starts services later)
      if (!options.infraOnly()) {
        seed.seed(endpoints);
      }
      return endpoints;
    } catch (Exception e) {
      stop();
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException("seeding failed: " + e, e);
    }
  }

  /** Services first (SIGTERM, in parallel), then Kafka, Redis, PostgreSQL. Safe to call twice. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    List<CompletableFuture<Void>> stopping = new ArrayList<>();
    services.values().forEach(service -> stopping.add(CompletableFuture.runAsync(service::stop, OWN_THREAD)));
    stopping.forEach(CompletableFuture::join);
    if (infra != null) {
      infra.stop();
    }
    try {
      Files.deleteIfExists(endpointsFile());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", endpointsFile(), e.toString());
    }
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Extra environment variables for one service (e.g. a short order deadline in a test); they
   * override the launcher's own. Call before {@link #start()}.
   */
  public synchronized DevStack withServiceEnv(MeshService service, Map<String, String> env) {
    serviceEnv.computeIfAbsent(service, s -> new LinkedHashMap<>()).putAll(env);
    return this;
  }

  /**
   * Starts the services with class data sharing, their archives kept in {@code dir} across runs
   * (see {@link ClassArchive}): {@code shopmesh dev} and the benchmarks do, tests do not (a test's
   * mesh is new each time, so it would only pay for writing archives). Call before {@link #start()}.
   */
  public synchronized DevStack withClassArchives(Path dir) {
    this.classArchives = dir;
    return this;
  }

  /** Extra JVM flags for one service, after the defaults (so {@code -Xmx128m} wins). Call before {@link #start()}. */
  public synchronized DevStack withJvmFlags(MeshService service, List<String> flags) {
    jvmFlags.computeIfAbsent(service, s -> new ArrayList<>()).addAll(flags);
    return this;
  }

  public DevStackOptions options() {
    return options;
  }

  /** The endpoints of the running stack (null before {@link #start()}). */
  public synchronized Endpoints endpoints() {
    return endpoints;
  }

  /** {@code <stateDir>/endpoints.json}, i.e. {@code .shopmesh/endpoints.json} by default. */
  public Path endpointsFile() {
    return options.stateDir().resolve("endpoints.json");
  }

  public synchronized PostgresServer postgres() {
    return infra == null ? null : infra.postgres();
  }

  public synchronized RedisServer redis() {
    return infra == null ? null : infra.redis();
  }

  public synchronized KafkaBroker kafka() {
    return infra == null ? null : infra.kafka();
  }

  /** The running service, for fault tests (kill, restart); null with infra-only. */
  public synchronized ServiceProcess service(MeshService service) {
    return services.get(service);
  }

  /** All JVMs start at once, then each is awaited against one shared deadline. */
  private void startServices(ServiceEnvironment environment) {
    Path logs = options.stateDir().resolve("logs");
    // Vert.x keeps a file cache directory per process (java.io.tmpdir by default) and removes it on a clean
    // stop only; under the state directory, what killed services leave behind goes with the next start
    Path fileCaches = options.stateDir().resolve("tmp");
    ScratchDir.delete(fileCaches);
    for (MeshService service : MeshService.values()) {
      List<String> flags = new ArrayList<>(SERVICE_JVM_FLAGS);
      flags.add("-Dvertx.cacheDirBase=" + fileCaches.resolve("vertx-cache-" + service.serviceName()));
      flags.addAll(jvmFlags.getOrDefault(service, List.of()));
      services.put(service, ServiceProcess.start(new ServiceSpec(service.serviceName(),
          service.jar(options.root()), service.conf(options.root()), flags, environment.of(service),
          logs.resolve(service.serviceName() + ".log"), classArchives)));
    }
    LOG.info("services starting (logs in {})", logs);
    long deadline = System.nanoTime() + SERVICES_READY_TIMEOUT.toNanos();
    for (MeshService service : MeshService.values()) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      services.get(service).awaitReady(URI.create(service.url(options) + "/health/ready"), left);
      LOG.info("{} ready on {}", service.serviceName(), service.url(options));
    }
    awaitRoutedThroughGateway(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /**
   * Each service is ready on its own, but the gateway learns of them through discovery (re-read
   * every second) and reads the signing keys from users: wait until a public route of users and of
   * inventory answer 200 through it, and until its readiness is no longer degraded (it is while it
   * knows no instance of some service, orders included, which has no public route to probe), so the
   * first request a person or a test sends is not a 503.
   */
  private void awaitRoutedThroughGateway(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    String gateway = MeshService.GATEWAY.url(options);
    for (String path : List.of("/.well-known/jwks.json", "/api/products?limit=1")) {
      Poll.until("the gateway to route " + path, timeout, () -> http.send(HttpRequest.newBuilder(
              URI.create(gateway + path)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200 ? Boolean.TRUE : null);
    }
    // degraded checks (e.g. signing keys not read yet) keep readiness 200 but say so in the body
    Poll.until("the gateway to hold the signing keys", timeout, () -> {
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(gateway + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return ready.statusCode() == 200 && !ready.body().contains("\"degraded\"") ? Boolean.TRUE : null;
    });
  }

  private static List<String> databaseNames() {
    List<String> names = new ArrayList<>();
    for (MeshService service : MeshService.values()) {
      if (service.ownsDatabase()) {
        names.add(service.serviceName());
      }
    }
    return names;
  }
}
