package io.shopmesh.e2e;

import io.shopmesh.devstack.DevStack;
import io.shopmesh.devstack.DevStackOptions;
import io.shopmesh.devstack.Endpoints;
import io.shopmesh.devstack.MeshService;
import io.shopmesh.devstack.Ports;
import io.shopmesh.devstack.ScratchDir;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four service jars as operators run them (separate JVMs, their YAML, environment overrides)
 * against the devstack's infrastructure: the whole path works through the gateway, then SIGTERM
 * stops each one cleanly (exit code 0) without leaving an event behind in its outbox.
 */
class MeshLifecycleTest {

  private static final Logger LOG = LoggerFactory.getLogger(MeshLifecycleTest.class);
  private static final List<MeshService> STOP_ORDER = List.of(MeshService.GATEWAY, MeshService.USERS,
      MeshService.ORDERS, MeshService.INVENTORY);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  @DisplayName("register, login, order to CONFIRMED through the gateway; then SIGTERM exits each service with 0 and no unpublished event")
  void wholeLifecycle() throws Exception {
    try (ScratchDir scratch = ScratchDir.create("shopmesh-e2e-")) {
      lifecycle(scratch.path());
    }
  }

  private void lifecycle(Path state) throws Exception {
    DevStackOptions options = new DevStackOptions(Path.of(System.getProperty("shopmesh.repo.root")),
        state.resolve("data"), false, Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(),
        Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), false);
    List<ProcessHandle> children;
    long started = System.nanoTime();
    try (DevStack stack = new DevStack(options)) {
      Endpoints endpoints = stack.start();
      LOG.info("mesh ready in {} ms", (System.nanoTime() - started) / 1_000_000);
      JsonObject written = new JsonObject(Files.readString(stack.endpointsFile()));
      for (String service : List.of("gateway", "users", "orders", "inventory")) {
        String url = written.getJsonObject("services").getJsonObject(service).getString("url");
        assertThat(get(url + "/health/ready").statusCode()).as("%s ready", service).isEqualTo(200);
      }

      ShopClient admin = new ShopClient(endpoints.gateway()).login(endpoints.admin().email(),
          endpoints.admin().password());
      String sku = admin.createProduct("LIFECYCLE-1", 1250, 5);
      ShopClient customer = ShopClient.customer(endpoints.gateway());
      String id = customer.placeOrder(sku, 2).expect(202).json().getString("id");
      JsonObject order = customer.awaitOrder(id, Set.of("CONFIRMED", "REJECTED"), Duration.ofSeconds(60));
      assertThat(order.getString("status")).isEqualTo("CONFIRMED");
      assertThat(order.getLong("totalCents")).isEqualTo(2500L);

      children = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
      // each service's Vert.x file cache is under the state directory, not in the machine's /tmp
      assertThat(fileCaches(state)).as("file cache directories of the running services")
          .containsExactlyInAnyOrder("vertx-cache-gateway", "vertx-cache-users", "vertx-cache-orders",
              "vertx-cache-inventory");
      for (MeshService service : STOP_ORDER) {
        assertThat(stack.service(service).stop()).as("exit code of %s after SIGTERM", service).isZero();
      }
      assertThat(fileCaches(state)).as("file cache directories left after a clean stop").isEmpty();
      for (MeshService service : List.of(MeshService.USERS, MeshService.ORDERS, MeshService.INVENTORY)) {
        assertThat(unpublished(endpoints, service.serviceName())).as("unpublished outbox rows of %s", service)
            .isZero();
      }
    }
    assertThat(children.stream().filter(ProcessHandle::isAlive).toList()).as("processes left running").isEmpty();
    assertThat(state.resolve("endpoints.json")).doesNotExist();
  }

  /** The file cache directories under {@code <state>/tmp}, without their per-process suffix. */
  private static List<String> fileCaches(Path state) throws Exception {
    Path dir = state.resolve("tmp");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString().replaceFirst("-[0-9a-f-]{36}$", "")).toList();
    }
  }

  private static long unpublished(Endpoints endpoints, String service) throws Exception {
    Endpoints.Database db = endpoints.databases().get(service);
    URI uri = URI.create(db.url().replace("postgresql://", "http://"));
    try (var conn = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort()
        + uri.getPath(), service, db.password());
         ResultSet rs = conn.createStatement().executeQuery("SELECT count(*) FROM outbox WHERE published_at IS NULL")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
