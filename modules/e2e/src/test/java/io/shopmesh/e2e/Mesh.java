package io.shopmesh.e2e;

import io.shopmesh.devstack.DevStack;
import io.shopmesh.devstack.DevStackOptions;
import io.shopmesh.devstack.Endpoints;
import io.shopmesh.devstack.MeshService;
import io.shopmesh.devstack.Ports;
import io.shopmesh.devstack.ScratchDir;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The whole mesh as processes from the built jars (the devstack), on free ports in a fresh state
 * directory, plus the fault switches the saga tests need. Tests talk to it only through HTTP (the
 * gateway) and Kafka, never through service classes.
 */
final class Mesh implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Mesh.class);

  private final DevStack stack;
  private final Endpoints endpoints;
  private final ScratchDir state;
  /** For readiness and metrics polls: a JDK client per call would keep a selector thread and its sockets each. */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();
  private final ShopClient probe;

  private Mesh(DevStack stack, Endpoints endpoints, ScratchDir state) {
    this.stack = stack;
    this.endpoints = endpoints;
    this.state = state;
    this.probe = new ShopClient(endpoints.gateway());
  }

  /** Starts everything; {@code env} adds environment variables per service (e.g. a short order deadline). */
  static Mesh start(Map<MeshService, Map<String, String>> env) {
    return start(options -> env);
  }

  /**
   * Like {@link #start(Map)}, with environment variables that depend on the ports chosen for the
   * stack (e.g. a fault proxy in front of a service's port or of PostgreSQL's).
   */
  static Mesh start(Function<DevStackOptions, Map<MeshService, Map<String, String>>> env) {
    ScratchDir state = ScratchDir.create("shopmesh-e2e-");
    DevStackOptions options = new DevStackOptions(Path.of(System.getProperty("shopmesh.repo.root")),
        state.path().resolve("data"), false, Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(),
        Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), false);
    DevStack stack = new DevStack(options);
    env.apply(options).forEach(stack::withServiceEnv);
    Mesh mesh;
    try {
      mesh = new Mesh(stack, stack.start(), state);
    } catch (RuntimeException | Error e) {
      state.close();
      throw e;
    }
    try {
      mesh.awaitRoutable();
    } catch (RuntimeException | Error e) {
      try {
        mesh.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return mesh;
  }

  /** The ports and directories the stack runs with. */
  DevStackOptions options() {
    return stack.options();
  }

  /** The running stack, for crash tests: {@code postgres()/redis()/kafka()} and each service's process. */
  DevStack stack() {
    return stack;
  }

  /** A service's own base URL (bypassing the gateway). */
  String url(MeshService service) {
    return service.url(stack.options());
  }

  /**
   * A JDBC connection to {@code service}'s own database with its own role (for the checks the API
   * cannot show: ledgers, inboxes, outboxes). Close it after use.
   */
  Connection database(String service) throws SQLException {
    Endpoints.Database db = endpoints.databases().get(service);
    URI url = URI.create(db.url().replace("postgresql://", "http://"));
    return DriverManager.getConnection("jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + url.getPath(),
        url.getUserInfo(), db.password());
  }

  /**
   * Waits until every service answers {@code /health/ready} and every upstream answers through the
   * gateway again (after a crash and restart).
   */
  void awaitHealthy(Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
      for (MeshService service : MeshService.values()) {
        HttpResponse<String> ready = get(url(service) + "/health/ready", Duration.ofSeconds(2));
        if (ready.statusCode() != 200 || ready.body().contains("\"degraded\"")) {
          return false;
        }
      }
      return true;
    });
    awaitRoutable(timeout);
  }

  /**
   * Every service ready is not yet every route open: the gateway may have opened its breaker to a
   * service that registered late (its key-set reads count as failures). Wait until each upstream
   * answers through the gateway: users with its keys, inventory with its catalog, orders with a 401.
   */
  private void awaitRoutable() {
    awaitRoutable(Duration.ofSeconds(60));
  }

  private void awaitRoutable(Duration timeout) {
    Map<String, Integer> expected = Map.of("/.well-known/jwks.json", 200, "/api/products", 200, "/api/orders", 401);
    await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> expected.entrySet()
        .stream().allMatch(e -> probe.send("GET", e.getKey(), null, null).status() == e.getValue()));
  }

  String gateway() {
    return endpoints.gateway();
  }

  Endpoints.Admin admin() {
    return endpoints.admin();
  }

  /**
   * Freezes the service's JVM (SIGSTOP): it holds its connections but does nothing, as a hung or
   * paused machine would. Kafka keeps what is published for it meanwhile.
   */
  void freeze(MeshService service) {
    signal(service, "-STOP");
  }

  /** Lets a frozen service run again (SIGCONT); it catches up from Kafka. */
  void thaw(MeshService service) {
    signal(service, "-CONT");
  }

  /** SIGKILLs the service's JVM, as the OOM killer would; its supervisor starts it again after a backoff. */
  void kill(MeshService service) {
    stack.service(service).kill();
  }

  /**
   * Runs a full garbage collection in the service's JVM ({@code jcmd <pid> GC.run}), so that the
   * heap it reports next is what survives: the number to compare over a soak.
   */
  void collectGarbage(MeshService service) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process process = new ProcessBuilder(jcmd.toString(), Long.toString(stack.service(service).pid()), "GC.run")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("jcmd GC.run failed for " + service);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + jcmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The text of the service's {@code /metrics} (Prometheus format). */
  String metrics(MeshService service) {
    HttpResponse<String> metrics = get(url(service) + "/metrics", Duration.ofSeconds(10));
    if (metrics.statusCode() != 200) {
      throw new AssertionError(service + " /metrics: expected 200 but got " + metrics.statusCode());
    }
    return metrics.body();
  }

  private HttpResponse<String> get(String url, Duration timeout) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void signal(MeshService service, String signal) {
    long pid = stack.service(service).pid();
    List<String> command = new ArrayList<>(List.of("kill", signal));
    Stream.concat(Stream.of(pid), ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
        .map(ProcessHandle::pid)).forEach(p -> command.add(Long.toString(p)));
    try {
      int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot signal " + service, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The envelopes published on {@code topic} with key {@code aggregateId}, in order. */
  List<JsonObject> events(String topic, String aggregateId) {
    Map<String, Object> config = Map.of("bootstrap.servers", endpoints.kafka().bootstrap(),
        "enable.auto.commit", "false");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<JsonObject> events = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> {
          if (aggregateId.equals(r.key())) {
            events.add(new JsonObject(r.value()));
          }
        });
      }
      return events;
    }
  }

  @Override
  public void close() {
    for (MeshService service : MeshService.values()) {
      // a frozen JVM cannot act on the SIGTERM of the stop
      if (stack.service(service) != null && stack.service(service).isAlive()) {
        thaw(service);
      }
    }
    stack.stop();
    keepWarnings();
    state.close();
  }

  /**
   * The services' WARN and ERROR lines go to {@code target/e2e-logs/} before the scratch directory (and its
   * logs) is removed: enough to tell what a failed fault test's 500 was, at a few KB per test.
   */
  private void keepWarnings() {
    Path logs = stack.options().stateDir().resolve("logs");
    Path kept = Path.of("target", "e2e-logs", state.path().getFileName().toString());
    for (MeshService service : MeshService.values()) {
      Path log = logs.resolve(service.serviceName() + ".log");
      if (!Files.exists(log)) {
        continue;
      }
      try (var lines = Files.lines(log)) {
        List<String> warnings = lines.filter(l -> l.contains("\"level\":\"WARN\"") || l.contains("\"level\":\"ERROR\""))
            .toList();
        if (!warnings.isEmpty()) {
          Files.createDirectories(kept);
          Files.write(kept.resolve(service.serviceName() + ".log"), warnings);
        }
      } catch (IOException | UncheckedIOException e) {
        LOG.warn("cannot keep the warnings of {}: {}", service.serviceName(), e.toString());
      }
    }
  }
}
