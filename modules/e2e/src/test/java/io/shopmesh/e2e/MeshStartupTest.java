package io.shopmesh.e2e;

import io.shopmesh.devstack.DevStack;
import io.shopmesh.devstack.DevStackOptions;
import io.shopmesh.devstack.Ports;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole mesh as {@code ./shopmesh dev} runs it: infrastructure plus the four service jars as processes. */
class MeshStartupTest {

  private static final Logger LOG = LoggerFactory.getLogger(MeshStartupTest.class);
  private static final List<String> SERVICES = List.of("gateway", "users", "orders", "inventory");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  @DisplayName("the devstack brings every service to ready from its jar, writes endpoints.json and stops everything")
  void wholeMeshStartsAndStops() throws Exception {
    Path state = Files.createTempDirectory("shopmesh-e2e-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    DevStackOptions options = new DevStackOptions(Path.of(System.getProperty("shopmesh.repo.root")),
        state.resolve("data"), false, Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(),
        Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), false);
    List<ProcessHandle> before;
    long started = System.nanoTime();
    try (DevStack stack = new DevStack(options)) {
      stack.start();
      LOG.info("mesh ready in {} ms", (System.nanoTime() - started) / 1_000_000);
      JsonObject endpoints = new JsonObject(Files.readString(stack.endpointsFile()));
      for (String service : SERVICES) {
        String url = endpoints.getJsonObject("services").getJsonObject(service).getString("url");
        assertThat(get(url + "/health/ready").statusCode()).as("%s ready", service).isEqualTo(200);
      }
      assertThat(endpoints.getString("gateway")).isEqualTo("http://127.0.0.1:" + options.gatewayPort());
      JsonObject orders = endpoints.getJsonObject("databases").getJsonObject("orders");
      URI pg = URI.create(orders.getString("url").replace("postgresql://", "http://"));
      try (var conn = DriverManager.getConnection("jdbc:postgresql://" + pg.getHost() + ":" + pg.getPort()
          + pg.getPath(), "orders", orders.getString("password"))) {
        assertThat(conn.isValid(2)).isTrue();
      }
      before = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
      assertThat(before).isNotEmpty();
    }
    assertThat(before.stream().filter(ProcessHandle::isAlive).toList()).as("processes left running").isEmpty();
    assertThat(state.resolve("endpoints.json")).doesNotExist();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
