package io.shopmesh.e2e;

import io.shopmesh.devstack.DevStackOptions;
import io.shopmesh.devstack.MeshService;
import io.shopmesh.testkit.FaultProxy;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The faults the fast and the long suites inject, on a mesh whose gateway reaches inventory
 * through a {@link FaultProxy} (inventory advertises the proxy's port in discovery) and, when
 * asked, whose orders service reaches PostgreSQL through another one.
 */
final class Faults implements AutoCloseable {

  private static final String INVENTORY = "upstream=\"inventory\"";
  private static final String ORDERS = "upstream=\"orders\"";
  private static final Duration BREAKER = Duration.ofSeconds(60);

  private final Vertx vertx;
  private final Mesh mesh;
  private final FaultProxy inventoryProxy;
  private final FaultProxy ordersDbProxy;
  private final FaultDrill drill;
  /** An anonymous client reading the catalogue through the gateway. */
  private final ShopClient reader;
  private final String readSku;

  private Faults(Vertx vertx, Mesh mesh, FaultProxy inventoryProxy, FaultProxy ordersDbProxy) {
    this.vertx = vertx;
    this.mesh = mesh;
    this.inventoryProxy = inventoryProxy;
    this.ordersDbProxy = ordersDbProxy;
    this.drill = new FaultDrill(mesh);
    this.reader = new ShopClient(mesh.gateway());
    this.readSku = drill.admin().createProduct("READ-" + System.nanoTime(), 100, 5);
  }

  /** Starts the mesh with the fault settings and the proxies; {@code proxyOrdersDb} adds the one to PostgreSQL. */
  static Faults start(boolean proxyOrdersDb) {
    Vertx vertx = Vertx.vertx();
    FaultProxy[] proxies = new FaultProxy[2];
    Mesh mesh = null;
    try {
      mesh = Mesh.start((DevStackOptions options) -> {
        proxies[0] = FaultProxy.start(vertx, "127.0.0.1", options.inventoryPort());
        Map<MeshService, Map<String, String>> env = new HashMap<>();
        env.put(MeshService.GATEWAY, FaultDrill.GATEWAY_ENV);
        env.put(MeshService.INVENTORY, Map.of("SHOPMESH_DISCOVERY_ADVERTISED_PORT",
            Integer.toString(proxies[0].port())));
        if (proxyOrdersDb) {
          proxies[1] = FaultProxy.start(vertx, "127.0.0.1", options.pgPort());
          env.put(MeshService.ORDERS, Map.of("SHOPMESH_DB_URL", "postgresql://orders@127.0.0.1:" + proxies[1].port()
              + "/orders"));
        }
        return env;
      });
      return new Faults(vertx, mesh, proxies[0], proxies[1]);
    } catch (RuntimeException | Error e) {
      List<AutoCloseable> opened = new ArrayList<>();
      if (mesh != null) {
        opened.add(mesh);
      }
      Arrays.stream(proxies).filter(Objects::nonNull).forEach(opened::add);
      opened.add(() -> vertx.close().await());
      for (AutoCloseable resource : opened) {
        try {
          resource.close();
        } catch (Exception closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  Mesh mesh() {
    return mesh;
  }

  FaultDrill drill() {
    return drill;
  }

  /** SIGKILL; the supervisor starts the service again after its backoff. */
  FaultDrill.Fault killService(MeshService service) {
    return (load, window) -> {
      mesh.kill(service);
      return "";
    };
  }

  /** SIGKILL the broker; orders must still be accepted meanwhile (the outbox keeps the events); then restart it. */
  FaultDrill.Fault killKafka() {
    return killAndRestart(() -> mesh.stack().kafka().kill(), () -> mesh.stack().kafka().restart(),
        (load, window) -> load.awaitAccepted(window.startedAt, 20, Duration.ofSeconds(60)),
        "orders accepted while the broker was down");
  }

  /** SIGKILL PostgreSQL and every backend, hold until clients feel it, then restart (crash recovery). */
  FaultDrill.Fault killPostgres() {
    return killAndRestart(() -> mesh.stack().postgres().kill(), () -> mesh.stack().postgres().restart(),
        (load, window) -> load.awaitFailures(window.startedAt, 3, Duration.ofSeconds(15)), "");
  }

  /** SIGKILL Redis (rate limits fall back to local buckets, discovery keeps its last instance lists), then restart. */
  FaultDrill.Fault killRedis() {
    return killAndRestart(() -> mesh.stack().redis().kill(), () -> mesh.stack().redis().restart(),
        (load, window) -> load.awaitAccepted(window.startedAt, 20, Duration.ofSeconds(60)),
        "orders accepted while Redis was down");
  }

  /** Kills a backing server, holds the fault until {@code held} has seen its effect (or fails), then restarts it. */
  private static FaultDrill.Fault killAndRestart(Runnable kill, Runnable restart,
                                                 BiConsumer<OrderLoad, FaultDrill.Window> held, String note) {
    return (load, window) -> {
      kill.run();
      try {
        held.accept(load, window);
      } finally {
        window.healed();
        restart.run();
      }
      return note;
    };
  }

  /**
   * SIGSTOP orders for longer than the gateway's breaker needs to open and try a half-open probe,
   * then SIGCONT: the breaker must open (the load's orders are refused with 503 by the breaker
   * itself, not after a timeout), then close by itself.
   */
  FaultDrill.Fault freezeOrders() {
    return (load, window) -> {
      double halfOpened = drill.metric(MeshService.GATEWAY, "shopmesh_breaker_transitions_total", ORDERS,
          "to=\"half_open\"");
      long thawedAt;
      long openedAt;
      mesh.freeze(MeshService.ORDERS);
      try {
        await("the breaker to open").atMost(BREAKER).pollInterval(Duration.ofMillis(100)).until(() ->
            drill.metric(MeshService.GATEWAY, "shopmesh_breaker_state", ORDERS) == 2);
        openedAt = System.currentTimeMillis();
        await("a half-open probe").atMost(BREAKER).pollInterval(Duration.ofMillis(100)).until(() ->
            drill.metric(MeshService.GATEWAY, "shopmesh_breaker_transitions_total", ORDERS,
                "to=\"half_open\"") > halfOpened);
      } finally {
        mesh.thaw(MeshService.ORDERS);
        window.healed();
        thawedAt = System.currentTimeMillis();
      }
      await("the breaker to close").atMost(BREAKER).pollInterval(Duration.ofMillis(100)).until(() ->
          drill.metric(MeshService.GATEWAY, "shopmesh_breaker_state", ORDERS) == 0);
      long closedAt = System.currentTimeMillis();
      List<Long> refused = refusedByBreaker(load, window.startedAt);
      assertThat(refused).as("orders refused by the open breaker (503, circuit open)").isNotEmpty();
      return "breaker open after " + (openedAt - window.startedAt) + " ms, closed " + (closedAt - thawedAt)
          + " ms after SIGCONT; " + refusalNote(refused);
    };
  }

  /**
   * The network between the gateway and inventory fails in {@code mode}: product reads must fail
   * fast with a 503 problem document once the breaker is open, orders and users must not notice,
   * and reads must come back by themselves once the network heals.
   */
  FaultDrill.Fault gatewayToInventory(FaultProxy.Mode mode) {
    return (load, window) -> {
      setMode(inventoryProxy, mode);
      List<Long> refused = new ArrayList<>();
      long healedAt;
      try {
        await("the inventory breaker to open").atMost(BREAKER).pollInterval(Duration.ofMillis(200)).until(() -> {
          reader.attempt("GET", "/api/products/" + readSku, null, null, Duration.ofSeconds(5));
          return drill.metric(MeshService.GATEWAY, "shopmesh_breaker_state", INVENTORY) == 2;
        });
        for (int i = 0; i < 5; i++) {
          long started = System.nanoTime();
          ShopClient.Response read = reader.attempt("GET", "/api/products/" + readSku, null, null,
              Duration.ofSeconds(5));
          assertThat(read.status()).as("a product read while inventory is cut off: %s", read.body()).isEqualTo(503);
          assertThat(read.contentType()).startsWith("application/problem+json");
          if (refusedByBreaker(read.status(), read.body())) {
            refused.add((System.nanoTime() - started) / 1_000_000);
          }
        }
        // a read may be the half-open probe, which waits for the upstream timeout; the others are refused
        assertThat(refused).as("reads refused by the open breaker (503, circuit open), of 5").isNotEmpty();
        assertThat(drill.admin().send("GET", "/api/users/me", null, null).status()).as("users, unaffected")
            .isEqualTo(200);
        assertThat(load.failuresSince(window.startedAt)).as("order placements, unaffected by inventory's network")
            .isZero();
      } finally {
        inventoryProxy.mode(FaultProxy.Mode.PASS);
        window.healed();
        healedAt = System.currentTimeMillis();
      }
      await("product reads to recover").atMost(BREAKER).pollInterval(Duration.ofMillis(100)).until(() ->
          reader.attempt("GET", "/api/products/" + readSku, null, null, Duration.ofSeconds(5)).status() == 200);
      return "5 reads while cut off: " + refusalNote(refused) + "; 200 again "
          + (System.currentTimeMillis() - healedAt) + " ms after the network healed";
    };
  }

  /**
   * The network between orders and PostgreSQL fails in {@code mode}: placing orders must fail fast
   * with 503 once the gateway's breaker is open, product reads must not notice, and orders must be
   * accepted again by themselves once the network heals.
   */
  FaultDrill.Fault ordersToPostgres(FaultProxy.Mode mode) {
    return (load, window) -> {
      setMode(ordersDbProxy, mode);
      long openedAt;
      long healedAt;
      try {
        await("the orders breaker to open").atMost(BREAKER).pollInterval(Duration.ofMillis(100)).until(() ->
            drill.metric(MeshService.GATEWAY, "shopmesh_breaker_state", ORDERS) == 2);
        openedAt = System.currentTimeMillis();
        load.awaitFailures(openedAt, 5, Duration.ofSeconds(30));
        for (int i = 0; i < 5; i++) {
          assertThat(reader.attempt("GET", "/api/products/" + readSku, null, null, Duration.ofSeconds(2)).status())
              .as("product reads, unaffected by orders' database").isEqualTo(200);
        }
      } finally {
        ordersDbProxy.mode(FaultProxy.Mode.PASS);
        window.healed();
        healedAt = System.currentTimeMillis();
      }
      List<Long> refused = refusedByBreaker(load, window.startedAt);
      assertThat(refused).as("orders refused by the open breaker (503, circuit open)").isNotEmpty();
      load.awaitAccepted(healedAt, 5, Duration.ofSeconds(60));
      return refusalNote(refused) + "; orders accepted again " + (System.currentTimeMillis() - healedAt)
          + " ms after the network healed";
    };
  }

  /**
   * A 503 the gateway's open breaker answered itself: it calls no upstream, so it is fast by design
   * (how fast is the bench module's to claim), unlike the 503 of an upstream timeout.
   */
  private static boolean refusedByBreaker(int status, String body) {
    return status == 503 && body.contains("(circuit open)");
  }

  /** How long each try of the load that the open breaker refused since {@code since} took, in ms. */
  private static List<Long> refusedByBreaker(OrderLoad load, long since) {
    return load.failuresSinceList(since).stream().filter(f -> refusedByBreaker(f.status(), f.detail()))
        .map(OrderLoad.Failure::tookMillis).toList();
  }

  /** For the report: the refusals, with the slowest measured (not asserted: this box's timing is noisy). */
  private static String refusalNote(List<Long> tookMillis) {
    return tookMillis.size() + " refused by the open breaker, slowest "
        + tookMillis.stream().mapToLong(Long::longValue).max().orElse(0) + " ms";
  }

  private static void setMode(FaultProxy proxy, FaultProxy.Mode mode) {
    if (mode == FaultProxy.Mode.DELAY) {
      proxy.delay(3000);
    } else {
      proxy.mode(mode);
    }
    if (mode == FaultProxy.Mode.DROP) {
      proxy.cutAll();
    }
  }

  @Override
  public void close() {
    try {
      mesh.close();
    } finally {
      vertx.close().await();
    }
  }
}
