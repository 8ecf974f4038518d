package io.shopmesh.e2e;

import io.shopmesh.devstack.DevStack;
import io.shopmesh.devstack.DevStackOptions;
import io.shopmesh.devstack.Endpoints;
import io.shopmesh.devstack.MeshService;
import io.shopmesh.devstack.Ports;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The whole mesh as processes from the built jars (the devstack), on free ports in a fresh state
 * directory, plus the fault switches the saga tests need. Tests talk to it only through HTTP (the
 * gateway) and Kafka, never through service classes.
 */
final class Mesh implements AutoCloseable {

  private final DevStack stack;
  private final Endpoints endpoints;

  private Mesh(DevStack stack, Endpoints endpoints) {
    this.stack = stack;
    this.endpoints = endpoints;
  }

  /** Starts everything; {@code env} adds environment variables per service (e.g. a short order deadline). */
  static Mesh start(Map<MeshService, Map<String, String>> env) throws IOException {
    Path state = Files.createTempDirectory("shopmesh-e2e-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    DevStackOptions options = new DevStackOptions(Path.of(System.getProperty("shopmesh.repo.root")),
        state.resolve("data"), false, Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(),
        Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), false);
    DevStack stack = new DevStack(options);
    env.forEach(stack::withServiceEnv);
    Mesh mesh = new Mesh(stack, stack.start());
    mesh.awaitRoutable();
    return mesh;
  }

  /**
   * Every service ready is not yet every route open: the gateway may have opened its breaker to a
   * service that registered late (its key-set reads count as failures). Wait until each upstream
   * answers through the gateway: users with its keys, inventory with its catalog, orders with a 401.
   */
  private void awaitRoutable() {
    ShopClient probe = new ShopClient(gateway());
    Map<String, Integer> expected = Map.of("/.well-known/jwks.json", 200, "/api/products", 200, "/api/orders", 401);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> expected.entrySet().stream()
        .allMatch(e -> probe.send("GET", e.getKey(), null, null).status() == e.getValue()));
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
  }
}
