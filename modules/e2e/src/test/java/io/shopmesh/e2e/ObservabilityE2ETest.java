package io.shopmesh.e2e;

import io.shopmesh.devstack.MeshService;
import io.shopmesh.testkit.OtlpReceiver;
import io.shopmesh.testkit.PrometheusText;
import io.shopmesh.testkit.OtlpReceiver.ReceivedSpan;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observability of the whole mesh, services as processes from their jars: they export their spans
 * to an OTLP receiver this test holds in memory, write JSON log lines into the stack's
 * {@code logs/}, and serve {@code /metrics}. One order placed through the gateway is the scenario.
 */
class ObservabilityE2ETest {

  private static final Logger LOG = LoggerFactory.getLogger(ObservabilityE2ETest.class);
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static OtlpReceiver otlp;
  private static Mesh mesh;
  private static String orderId;

  @BeforeAll
  static void placeOneOrder() throws Exception {
    otlp = OtlpReceiver.start();
    Map<MeshService, Map<String, String>> env = new EnumMap<>(MeshService.class);
    for (MeshService service : MeshService.values()) {
      Map<String, String> vars = new LinkedHashMap<>(Map.of(
          "SHOPMESH_TRACING_OTLP_ENDPOINT", otlp.endpoint(),
          // the per-event lines of the consumers are DEBUG
          "SHOPMESH_LOG_LEVEL", "DEBUG",
          "SHOPMESH_OUTBOX_METRICS_INTERVAL", "500ms",
          "SHOPMESH_CONSUMER_METRICS_INTERVAL", "500ms"));
      if (service == MeshService.ORDERS) {
        vars.put("SHOPMESH_ORDERS_METRICS_INTERVAL", "1s");
      }
      env.put(service, vars);
    }
    mesh = Mesh.start(env);
    ShopClient admin = new ShopClient(mesh.gateway()).login(mesh.admin().email(), mesh.admin().password());
    ShopClient customer = ShopClient.customer(mesh.gateway());
    String sku = admin.createProduct("OBS-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), 700, 5);

    orderId = customer.placeOrder(sku, 2).expect(202).json().getString("id");

    assertThat(customer.awaitOrder(orderId, Set.of("CONFIRMED", "REJECTED"), DEADLINE).getString("status"))
        .isEqualTo("CONFIRMED");
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
    if (otlp != null) {
      otlp.close();
    }
  }

  @Test
  @DisplayName("placing an order is one trace: gateway, orders, the outbox relay's Kafka send, inventory, its send"
      + " back and orders' handling of it, each hop the child of the one before")
  void oneTracePerOrder() {
    ReceivedSpan root = await().atMost(DEADLINE).until(() -> otlp.spans().stream()
        .filter(s -> s.service().equals("gateway") && s.kind().equals("SERVER")
            && "/api/orders".equals(s.attributes().get("url.path"))
            && "POST".equals(s.attributes().get("http.request.method")))
        .findFirst(), Optional::isPresent).orElseThrow();
    String traceId = root.traceId();

    // the last hop (orders applies inventory's StockReserved) has arrived, and every span's parent too: each
    // service exports on its own schedule, so a hop's span may arrive after the spans of later hops
    List<ReceivedSpan> trace = await().atMost(DEADLINE).until(() -> otlp.trace(traceId),
        spans -> spans.stream().anyMatch(s -> s.service().equals("orders") && s.kind().equals("CONSUMER"))
            && parentsPresent(spans));
    LOG.info("trace {} of order {}:\n{}", traceId, orderId, tree(trace, root, ""));

    assertThat(root.isRoot()).as("the gateway starts the trace").isTrue();
    assertThat(trace).filteredOn(ReceivedSpan::isRoot).containsExactly(root);
    Set<String> ids = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
    assertThat(trace).filteredOn(s -> !s.isRoot())
        .allSatisfy(s -> assertThat(ids).as("parent of %s (%s)", s.name(), s.service()).contains(s.parentSpanId()));
    assertThat(root.name()).isEqualTo("POST /api/orders/*");

    ReceivedSpan proxied = only(trace, "gateway", "CLIENT", root, s -> s.attributes().containsKey("http.request.method"));
    ReceivedSpan placed = only(trace, "orders", "SERVER", proxied);
    assertThat(placed.name()).isEqualTo("POST /api/orders");
    assertThat(children(trace, placed)).as("the order's SQL").anyMatch(s -> s.kind().equals("CLIENT")
        && s.attributes().containsKey("db.system"));
    ReceivedSpan ordersSend = only(trace, "orders", "PRODUCER", placed);
    assertThat(ordersSend.attributes()).containsEntry("messaging.destination.name", "orders.events");
    ReceivedSpan reserve = only(trace, "inventory", "CONSUMER", ordersSend);
    assertThat(reserve.name()).isEqualTo("process orders.events");
    assertThat(reserve.attributes()).containsEntry("shopmesh.event.type", "OrderPlaced");
    assertThat(children(trace, reserve)).as("inventory's SQL while reserving").anyMatch(s -> s.kind().equals("CLIENT")
        && s.attributes().containsKey("db.system"));
    ReceivedSpan inventorySend = only(trace, "inventory", "PRODUCER", reserve);
    assertThat(inventorySend.attributes()).containsEntry("messaging.destination.name", "inventory.events");
    ReceivedSpan confirm = only(trace, "orders", "CONSUMER", inventorySend);
    assertThat(confirm.attributes()).containsEntry("shopmesh.event.type", "StockReserved");
  }

  @Test
  @DisplayName("every service's log lines for the order carry its trace id, with the span that wrote them")
  void logsCarryTheTrace() throws IOException {
    String traceId = await().atMost(DEADLINE).until(() -> otlp.spans().stream()
        .filter(s -> s.service().equals("orders") && s.kind().equals("CONSUMER")
            && "StockReserved".equals(s.attributes().get("shopmesh.event.type")))
        .map(ReceivedSpan::traceId).findFirst(), Optional::isPresent).orElseThrow();
    Set<String> spans = otlp.trace(traceId).stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());

    List<JsonObject> gateway = await().atMost(DEADLINE).until(() -> logLines("gateway"),
        lines -> lines.stream().anyMatch(l -> traceId.equals(l.getString("traceId"))));
    JsonObject access = gateway.stream().filter(l -> traceId.equals(l.getString("traceId"))
        && "shopmesh.access".equals(l.getString("logger"))).findFirst().orElseThrow();
    assertThat(access.getString("path")).isEqualTo("/api/orders");
    assertThat(access.getString("service")).isEqualTo("gateway");
    String requestId = access.getString("requestId");
    assertThat(gateway).filteredOn(l -> requestId.equals(l.getString("requestId")))
        .allSatisfy(l -> assertThat(l.getString("traceId")).as(l.encode()).isEqualTo(traceId));

    for (String service : List.of("orders", "inventory")) {
      List<JsonObject> lines = await().atMost(DEADLINE).until(() -> logLines(service),
          all -> all.stream().anyMatch(l -> traceId.equals(l.getString("traceId"))));
      List<JsonObject> aboutOrder = lines.stream()
          .filter(l -> l.getString("message", "").contains(orderId) && l.getString("requestId", "").startsWith("event-"))
          .toList();
      assertThat(aboutOrder).as("%s's lines while handling the order's events", service).isNotEmpty()
          .allSatisfy(l -> {
            assertThat(l.getString("traceId")).as(l.encode()).isEqualTo(traceId);
            assertThat(spans).as("the span that wrote %s", l.encode()).contains(l.getString("spanId"));
            assertThat(l.getString("service")).isEqualTo(service);
          });
    }
  }

  @Test
  @DisplayName("/metrics of every service shows the scenario: requests by route template, breakers closed, outboxes"
      + " drained, no lag, no dead letters, the order confirmed, the work pools idle")
  void metricsAfterTheScenario() {
    Map<MeshService, PrometheusText> scraped = new EnumMap<>(MeshService.class);
    await().atMost(DEADLINE).untilAsserted(() -> {
      for (MeshService service : MeshService.values()) {
        scraped.put(service, PrometheusText.parse(mesh.metrics(service)));
      }
      PrometheusText orders = scraped.get(MeshService.ORDERS);
      PrometheusText inventory = scraped.get(MeshService.INVENTORY);
      assertThat(orders.value("shopmesh_orders", "status=\"CONFIRMED\"")).isGreaterThanOrEqualTo(1);
      for (PrometheusText events : List.of(orders, inventory)) {
        assertThat(events.value("shopmesh_outbox_backlog_rows")).isZero();
        assertThat(events.value("shopmesh_outbox_oldest_age_seconds")).isZero();
        assertThat(events.value("shopmesh_outbox_published_total")).isGreaterThanOrEqualTo(1);
        assertThat(events.series("shopmesh_consumer_lag_records")).isNotEmpty()
            .allSatisfy(s -> assertThat(s.value()).as(s.toString()).isZero());
        assertThat(events.series("shopmesh_dlq_depth")).isNotEmpty()
            .allSatisfy(s -> assertThat(s.value()).as(s.toString()).isZero());
      }
    });
    PrometheusText gateway = scraped.get(MeshService.GATEWAY);
    PrometheusText orders = scraped.get(MeshService.ORDERS);
    PrometheusText inventory = scraped.get(MeshService.INVENTORY);
    PrometheusText users = scraped.get(MeshService.USERS);

    assertThat(gateway.value("vertx_http_server_requests_total", "route=\"/api/orders/*\"", "method=\"POST\"",
        "code=\"202\"")).isEqualTo(1);
    assertThat(orders.value("vertx_http_server_requests_total", "route=\"/api/orders\"", "method=\"POST\"",
        "code=\"202\"")).isEqualTo(1);
    assertThat(orders.value("vertx_http_server_requests_total", "route=\"/api/orders/:id\"", "method=\"GET\"",
        "code=\"200\"")).isGreaterThanOrEqualTo(1);
    assertThat(users.value("vertx_http_server_requests_total", "route=\"/api/auth/login\"", "method=\"POST\"",
        "code=\"200\"")).isGreaterThanOrEqualTo(2);
    assertThat(gateway.series("vertx_http_server_response_time_seconds_bucket")).as("latency histogram")
        .isNotEmpty();
    for (MeshService service : MeshService.values()) {
      assertThat(scraped.get(service).series("vertx_http_server_requests_total"))
          .allSatisfy(s -> assertThat(s.labels().get("route")).as("route label of %s", s)
              .doesNotContain(orderId).doesNotContain("OBS-"));
    }

    for (String upstream : List.of("users", "orders", "inventory")) {
      String label = "upstream=\"" + upstream + "\"";
      assertThat(gateway.value("shopmesh_breaker_state", label)).isZero();
      assertThat(gateway.value("shopmesh_bulkhead_rejections_total", label)).isZero();
      assertThat(gateway.series("shopmesh_breaker_transitions_total", label)).extracting(s -> s.labels().get("to"))
          .containsExactlyInAnyOrder("open", "half_open", "closed");
    }
    assertThat(gateway.series("shopmesh_ratelimit_decisions_total", "decision=\"allowed\""))
        .extracting(PrometheusText.Sample::value).anySatisfy(v -> assertThat(v).isPositive());

    assertThat(orders.value("shopmesh_saga_duration_seconds_count", "outcome=\"CONFIRMED\"")).isEqualTo(1);
    assertThat(orders.value("shopmesh_orders", "status=\"PENDING\"")).isZero();
    assertThat(inventory.value("shopmesh_worker_queue_depth", "pool=\"imports\"")).isZero();
    assertThat(users.value("shopmesh_worker_queue_depth", "pool=\"passwords\"")).isZero();
    assertThat(users.value("shopmesh_worker_wait_seconds_count", "pool=\"passwords\""))
        .as("register and two logins were hashed on the pool").isGreaterThanOrEqualTo(3);

    Set<String> exported = scraped.values().stream().flatMap(metrics -> metrics.names().stream())
        .collect(Collectors.toSet());
    assertThat(referencedByChart()).as("metrics the dashboard and the alert rules read").isNotEmpty()
        .allSatisfy(name -> assertThat(exported).as("a service exports %s", name).contains(name));
  }

  private static ReceivedSpan only(List<ReceivedSpan> trace, String service, String kind, ReceivedSpan parent) {
    return only(trace, service, kind, parent, s -> true);
  }

  private static ReceivedSpan only(List<ReceivedSpan> trace, String service, String kind, ReceivedSpan parent,
                                   Predicate<ReceivedSpan> which) {
    List<ReceivedSpan> matching = children(trace, parent).stream()
        .filter(s -> s.service().equals(service) && s.kind().equals(kind) && which.test(s)).toList();
    assertThat(matching).as("%s %s span under %s (%s)", service, kind, parent.name(), parent.service()).hasSize(1);
    return matching.get(0);
  }

  private static List<ReceivedSpan> children(List<ReceivedSpan> trace, ReceivedSpan parent) {
    return trace.stream().filter(s -> s.parentSpanId().equals(parent.spanId())).toList();
  }

  private static String tree(List<ReceivedSpan> trace, ReceivedSpan span, String indent) {
    StringBuilder out = new StringBuilder(indent + span.service() + " " + span.kind() + " " + span.name() + "\n");
    children(trace, span).forEach(child -> out.append(tree(trace, child, indent + "  ")));
    return out.toString();
  }

  /** The JSON lines of a service's log file (what the devstack writes under its state directory). */
  private static List<JsonObject> logLines(String service) throws IOException {
    Path file = mesh.options().stateDir().resolve("logs").resolve(service + ".log");
    List<JsonObject> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("{")) {
        lines.add(new JsonObject(line));
      }
    }
    return lines;
  }

  /** Every metric name the chart's dashboard and alert rules read. */
  private static Set<String> referencedByChart() {
    Path chart = Path.of(System.getProperty("shopmesh.repo.root"), "helm", "shopmesh");
    Set<String> names = new LinkedHashSet<>();
    for (Path file : List.of(chart.resolve("dashboards/shopmesh.json"), chart.resolve("alerts/shopmesh-rules.yaml"))) {
      try {
        names.addAll(PrometheusText.metricNamesIn(Files.readString(file)));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file, e);
      }
    }
    return names;
  }

  /** Whether every span of {@code spans} that has a parent finds it among them. */
  private static boolean parentsPresent(List<ReceivedSpan> spans) {
    Set<String> ids = spans.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
    return spans.stream().allMatch(s -> s.isRoot() || ids.contains(s.parentSpanId()));
  }
}
