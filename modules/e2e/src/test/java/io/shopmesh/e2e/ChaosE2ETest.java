package io.shopmesh.e2e;

import io.shopmesh.devstack.MeshService;
import io.shopmesh.testkit.FaultProxy;
import io.shopmesh.testkit.PrometheusText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * The long fault suite ({@code mvn -B verify -Pchaos}, {@code ./shopmesh chaos}): every fault of
 * the catalogue, {@code shopmesh.chaos.iterations} times (3), on one mesh whose gateway reaches
 * inventory and whose orders service reaches PostgreSQL through fault proxies; then a soak of
 * {@code shopmesh.chaos.soak} (10 minutes) at 70% of the capacity measured just before it: zero
 * client errors, heap after GC flat, no growing outbox backlog, no file-descriptor growth.
 * Everything lands in {@code target/fault-report.json}.
 */
@Tag("chaos")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosE2ETest {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosE2ETest.class);
  private static final int ITERATIONS = Integer.getInteger("shopmesh.chaos.iterations", 3);
  private static final Duration SOAK = Duration.parse(System.getProperty("shopmesh.chaos.soak", "PT10M"));
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(20);
  private static final Duration CAPACITY_RUN = Duration.ofSeconds(20);
  private static final double SOAK_LOAD = 0.7;
  /** A drill takes about 25 s; @Timeout does not reach the dynamic tests of a factory, so each has its own bound. */
  private static final Duration DRILL_TIMEOUT = Duration.ofMinutes(10);

  private static Faults faults;

  @BeforeAll
  static void start() throws Exception {
    faults = Faults.start(true);
  }

  @AfterAll
  static void stop() {
    if (faults != null) {
      faults.close();
    }
  }

  @TestFactory
  @Order(1)
  @DisplayName("every fault, several times, under a steady stream of orders: nothing lost, nothing applied twice,"
      + " stock conserved, recovery by itself")
  List<DynamicTest> everyFault() {
    Map<String, FaultDrill.Fault> catalogue = new LinkedHashMap<>();
    catalogue.put("kill -9 gateway", faults.killService(MeshService.GATEWAY));
    catalogue.put("kill -9 users", faults.killService(MeshService.USERS));
    catalogue.put("kill -9 orders (and its outbox relay)", faults.killService(MeshService.ORDERS));
    catalogue.put("kill -9 inventory (and its outbox relay)", faults.killService(MeshService.INVENTORY));
    catalogue.put("kill -9 kafka, restart", faults.killKafka());
    catalogue.put("kill -9 postgres, restart", faults.killPostgres());
    catalogue.put("kill -9 redis, restart", faults.killRedis());
    catalogue.put("SIGSTOP orders, SIGCONT", faults.freezeOrders());
    for (FaultProxy.Mode mode : List.of(FaultProxy.Mode.BLACKHOLE, FaultProxy.Mode.HALF_OPEN, FaultProxy.Mode.DROP,
        FaultProxy.Mode.DELAY)) {
      catalogue.put(mode.name().toLowerCase() + " gateway -> inventory", faults.gatewayToInventory(mode));
    }
    for (FaultProxy.Mode mode : List.of(FaultProxy.Mode.DELAY, FaultProxy.Mode.DROP)) {
      catalogue.put(mode.name().toLowerCase() + " orders -> postgres", faults.ordersToPostgres(mode));
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 1; i <= ITERATIONS; i++) {
      int iteration = i;
      catalogue.forEach((name, fault) -> tests.add(DynamicTest.dynamicTest(name + " #" + iteration,
          () -> assertTimeoutPreemptively(DRILL_TIMEOUT, () -> faults.drill().run(name + " #" + iteration, fault),
              name + " #" + iteration + " did not finish within " + DRILL_TIMEOUT))));
    }
    return tests;
  }

  @Test
  @Order(2)
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  @DisplayName("a soak at 70% of the measured capacity: zero errors, flat heap after GC, no growing outbox backlog,"
      + " no file-descriptor growth")
  void soak() throws Exception {
    Mesh mesh = faults.mesh();
    mesh.awaitHealthy(FaultDrill.HEALTHY);
    ShopClient admin = faults.drill().admin().relogin();
    String sku = admin.createProduct("SOAK-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), 100,
        900_000_000);
    // capacity is measured on a product of its own, so the soak's product holds only the soak's orders
    String capacitySku = admin.createProduct("CAP-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), 100,
        900_000_000);
    double capacity = capacity(ShopClient.customer(mesh.gateway()), capacitySku);
    double rate = capacity * SOAK_LOAD;
    LOG.info("capacity {} orders/s; soaking at {} orders/s for {}", Math.round(capacity), Math.round(rate), SOAK);

    ShopClient customer = ShopClient.customer(mesh.gateway());
    String userId = customer.userId();
    List<Map<String, Double>> samples = new ArrayList<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    long started = System.currentTimeMillis();
    try (OrderLoad load = new OrderLoad(customer, sku)) {
      try {
        load.start(rate);
        sampler.scheduleAtFixedRate(() -> {
          try {
            Map<String, Double> sample = sample();
            synchronized (samples) {
              samples.add(sample);
            }
          } catch (RuntimeException e) {
            LOG.warn("metrics sample failed: {}", e.toString());
          }
        }, warmup().toMillis(), SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        await("the soak").atMost(SOAK.plusMinutes(1)).pollInterval(Duration.ofSeconds(1))
            .until(() -> System.currentTimeMillis() - started >= SOAK.toMillis());
      } finally {
        sampler.shutdownNow();
      }
      load.stop();

      List<String> violations = new ArrayList<>();
      await("the saga to settle").atMost(FaultDrill.SETTLE).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
          .until(() -> Invariants.violations(mesh, userId, sku, load.placements()).isEmpty());
      violations.addAll(Invariants.violations(mesh, userId, sku, load.placements()));
      JsonObject report = soakReport(capacity, rate, load, samples, started);
      FaultReport.addSoak(report);

      assertThat(load.failures()).as("client-visible errors during the soak").isEmpty();
      assertThat(load.unexpected()).isEmpty();
      assertThat(violations).isEmpty();
      assertThat(report.getJsonArray("problems")).as("resource trends").isEmpty();
    }
  }

  /** Sampling starts after the JIT, the pools and the caches have warmed up: a fifth of the soak, at most a minute. */
  private static Duration warmup() {
    Duration fifth = SOAK.dividedBy(5);
    return fifth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : fifth;
  }

  /** Orders per second accepted by 16 clients that each place the next order as soon as the last is answered. */
  private static double capacity(ShopClient customer, String sku) throws InterruptedException {
    AtomicInteger accepted = new AtomicInteger();
    long end = System.nanoTime() + CAPACITY_RUN.toNanos();
    ExecutorService clients = Executors.newFixedThreadPool(16);
    for (int i = 0; i < 16; i++) {
      clients.execute(() -> {
        while (System.nanoTime() < end) {
          JsonObject body = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("sku", sku)
              .put("quantity", 1)));
          if (customer.attempt("POST", "/api/orders", body, UUID.randomUUID().toString(), OrderLoad.TRY_TIMEOUT)
              .status() == 202) {
            accepted.incrementAndGet();
          }
        }
      });
    }
    clients.shutdown();
    assertThat(clients.awaitTermination(CAPACITY_RUN.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
    return accepted.get() / (double) CAPACITY_RUN.toSeconds();
  }

  /** Heap after a full collection and open files of every service; outbox backlogs of the publishers. */
  private static Map<String, Double> sample() {
    Map<String, Double> sample = new LinkedHashMap<>();
    for (MeshService service : MeshService.values()) {
      String name = service.serviceName();
      faults.mesh().collectGarbage(service);
      PrometheusText metrics = PrometheusText.parse(faults.mesh().metrics(service));
      sample.put(name + ".heapAfterGc", metrics.sum("jvm_memory_used_bytes", "area=\"heap\""));
      sample.put(name + ".openFiles", metrics.sum("process_files_open_files"));
      if (service != MeshService.GATEWAY) {
        sample.put(name + ".outboxBacklog", metrics.sum("shopmesh_outbox_backlog_rows"));
      }
    }
    sample.put("atMillis", (double) System.currentTimeMillis());
    return sample;
  }

  /**
   * The soak's numbers and its problems: per service the median heap after a full collection in the
   * first and in the last third, open files at start and end, and the outbox backlog's peak in both
   * thirds.
   */
  private static JsonObject soakReport(double capacity, double rate, OrderLoad load, List<Map<String, Double>> all,
                                       long started) {
    List<Map<String, Double>> samples;
    synchronized (all) {
      samples = new ArrayList<>(all);
    }
    JsonArray problems = new JsonArray();
    JsonObject services = new JsonObject();
    int third = Math.max(1, samples.size() / 3);
    List<Map<String, Double>> first = samples.subList(0, Math.min(third, samples.size()));
    List<Map<String, Double>> last = samples.subList(Math.max(0, samples.size() - third), samples.size());
    for (MeshService service : MeshService.values()) {
      String name = service.serviceName();
      double heapFirst = median(first, name + ".heapAfterGc");
      double heapLast = median(last, name + ".heapAfterGc");
      double filesFirst = first.isEmpty() ? 0 : first.get(0).getOrDefault(name + ".openFiles", 0.0);
      double filesLast = last.isEmpty() ? 0 : last.get(last.size() - 1).getOrDefault(name + ".openFiles", 0.0);
      JsonObject numbers = new JsonObject().put("heapAfterGcFirstMiB", mib(heapFirst))
          .put("heapAfterGcLastMiB", mib(heapLast)).put("openFilesFirst", filesFirst).put("openFilesLast", filesLast);
      if (heapLast > heapFirst * 1.2 + 16 * 1024 * 1024) {
        problems.add(name + ": heap after GC grew from " + mib(heapFirst) + " to " + mib(heapLast) + " MiB");
      }
      if (filesLast - filesFirst > 20) {
        problems.add(name + ": open files grew from " + filesFirst + " to " + filesLast);
      }
      if (service != MeshService.GATEWAY) {
        double backlogFirst = max(first, name + ".outboxBacklog");
        double backlogLast = max(last, name + ".outboxBacklog");
        numbers.put("outboxBacklogPeakFirst", backlogFirst).put("outboxBacklogPeakLast", backlogLast);
        if (backlogLast > Math.max(200, backlogFirst * 2)) {
          problems.add(name + ": outbox backlog grew from " + backlogFirst + " to " + backlogLast + " rows");
        }
      }
      services.put(name, numbers);
    }
    return new JsonObject().put("durationSeconds", (System.currentTimeMillis() - started) / 1000)
        .put("capacityOrdersPerSecond", Math.round(capacity)).put("loadOrdersPerSecond", Math.round(rate))
        .put("ordersPlaced", load.placements().size()).put("clientErrors", load.failures().size())
        .put("samples", samples.size()).put("services", services).put("problems", problems);
  }

  private static double median(List<Map<String, Double>> samples, String key) {
    double[] values = samples.stream().mapToDouble(s -> s.getOrDefault(key, 0.0)).sorted().toArray();
    return values.length == 0 ? 0 : values[values.length / 2];
  }

  private static double max(List<Map<String, Double>> samples, String key) {
    return samples.stream().mapToDouble(s -> s.getOrDefault(key, 0.0)).max().orElse(0);
  }

  private static long mib(double bytes) {
    return Math.round(bytes / (1024 * 1024));
  }
}
