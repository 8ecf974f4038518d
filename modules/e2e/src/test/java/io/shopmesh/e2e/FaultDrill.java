package io.shopmesh.e2e;

import io.shopmesh.devstack.MeshService;
import io.shopmesh.testkit.PrometheusText;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One fault under load, from start to verdict: a new customer orders a new product (limited
 * stock, so some orders are rejected) at a steady pace; the fault is injected and healed; the
 * mesh must become healthy and accept orders again by itself; then the load stops, the saga must
 * settle within {@link #SETTLE}, every {@link Invariants invariant} must hold, and the fault's
 * cost to the clients goes into the {@link FaultReport}.
 */
final class FaultDrill {

  /**
   * How a fault is injected, held and healed, given the running load (to hold it until it is felt);
   * returns a note for the report (what else was measured), or an empty string.
   */
  @FunctionalInterface
  interface Fault {
    String inject(OrderLoad load, Window window) throws Exception;
  }

  /** When a fault started, and when it was healed (the test's doing, or a supervisor's restart). */
  static final class Window {
    final long startedAt = System.currentTimeMillis();
    private volatile long healedAt;

    /** The fault ends now: a proxy passes again, a server is being restarted, a frozen JVM resumes. */
    void healed() {
      healedAt = System.currentTimeMillis();
    }

    /** For faults nobody heals (a SIGKILLed service comes back by itself), the start. */
    long healedAt() {
      return healedAt == 0 ? startedAt : healedAt;
    }
  }

  static final double ORDERS_PER_SECOND = 12;
  static final Duration HEALTHY = Duration.ofMinutes(3);
  static final Duration SETTLE = Duration.ofMinutes(2);
  private static final Logger LOG = LoggerFactory.getLogger(FaultDrill.class);
  private static final int STOCK = 400;

  /** Gateway settings for fault tests: short timeouts so breakers trip quickly; no rate limit in the way. */
  static final Map<String, String> GATEWAY_ENV = Map.of(
      "SHOPMESH_UPSTREAM_TIMEOUT", "2s",
      "SHOPMESH_BREAKER_RESET_TIMEOUT", "2s",
      "SHOPMESH_UPSTREAM_EJECT_FOR", "1s",
      "SHOPMESH_RATE_LIMIT_WRITE_RATE", "100000",
      "SHOPMESH_RATE_LIMIT_WRITE_BURST", "100000",
      "SHOPMESH_RATE_LIMIT_READ_RATE", "100000",
      "SHOPMESH_RATE_LIMIT_READ_BURST", "100000",
      "SHOPMESH_RATE_LIMIT_AUTH_RATE", "1000",
      "SHOPMESH_RATE_LIMIT_AUTH_BURST", "1000");

  private final Mesh mesh;
  private final ShopClient admin;

  FaultDrill(Mesh mesh) {
    this.mesh = mesh;
    this.admin = new ShopClient(mesh.gateway()).login(mesh.admin().email(), mesh.admin().password());
  }

  ShopClient admin() {
    return admin;
  }

  /** Runs {@code fault} under load, checks everything afterwards, reports it and returns its row. */
  FaultReport.Row run(String name, Fault fault) throws Exception {
    mesh.awaitHealthy(HEALTHY);
    admin.relogin();
    ShopClient customer = ShopClient.customer(mesh.gateway());
    String userId = customer.userId();
    String sku = admin.createProduct("FAULT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), 250,
        STOCK);
    try (OrderLoad load = new OrderLoad(customer, sku)) {
      long warmup = System.currentTimeMillis();
      load.start(ORDERS_PER_SECOND).awaitAccepted(warmup, 10, Duration.ofSeconds(30));
      LOG.info("injecting: {}", name);
      Window window = new Window();
      long startedAt = window.startedAt;
      String note = fault.inject(load, window);
      mesh.awaitHealthy(HEALTHY);
      long healthyAt = System.currentTimeMillis();
      load.awaitAccepted(healthyAt, 10, Duration.ofSeconds(60));
      load.stop();

      List<OrderLoad.Placement> placements = load.placements();
      List<String> violations = settle(userId, sku, placements);
      long lastFailure = load.lastFailureSince(startedAt);
      FaultReport.Row row = new FaultReport.Row(name, load.placedSince(startedAt), load.failuresSince(startedAt),
          load.retriedSince(startedAt), load.unanswered(), window.healedAt() - startedAt,
          lastFailure == 0 ? 0 : lastFailure - startedAt, healthyAt - window.healedAt(),
          Invariants.maxSagaMillis(mesh, userId, startedAt), violations.isEmpty() && load.unexpected().isEmpty(),
          violations.isEmpty() ? note : note + " VIOLATED: " + String.join("; ",
              violations.subList(0, Math.min(5, violations.size()))));
      FaultReport.add(row);
      assertThat(load.unexpected()).as("answers a careful client does not expect").isEmpty();
      assertThat(load.failuresSinceList(warmup)).as("an outage is answered 503 (retry later), never 500")
          .noneMatch(f -> f.status() == 500);
      assertThat(violations).as("invariants after %s", name).isEmpty();
      assertThat(load.unanswered()).as("orders whose client never got an answer within %s", OrderLoad.GIVE_UP)
          .isZero();
      return row;
    }
  }

  /** Waits for the saga to decide every order and the reservations to follow; returns what still fails then. */
  private List<String> settle(String userId, String sku, List<OrderLoad.Placement> placements) throws Exception {
    try {
      // right after a PostgreSQL restart a connection may still be refused: poll on
      await("the saga to settle").atMost(SETTLE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> Invariants.violations(mesh, userId, sku, placements).isEmpty());
    } catch (ConditionTimeoutException e) {
      LOG.warn("not settled within {}", SETTLE);
    }
    return Invariants.violations(mesh, userId, sku, placements);
  }

  /** The sum of {@code service}'s Prometheus series {@code name} with all of {@code labels} ({@code key="value"}). */
  double metric(MeshService service, String name, String... labels) {
    return PrometheusText.parse(mesh.metrics(service)).sum(name, labels);
  }
}
