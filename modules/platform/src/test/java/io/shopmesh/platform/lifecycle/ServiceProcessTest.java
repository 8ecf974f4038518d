package io.shopmesh.platform.lifecycle;

import io.shopmesh.platform.ProbeProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A service as operators run it: its own JVM, a YAML file, environment variables, signals. */
class ServiceProcessTest {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  @DisplayName("a key is read from the YAML file, an environment variable overrides it and -D overrides both")
  void configPrecedence(@TempDir Path dir) throws Exception {
    List<String> conf = serving(dir, "from-file");
    try (ProbeProcess fileOnly = ProbeProcess.start(conf, Map.of(), Map.of());
         ProbeProcess env = ProbeProcess.start(conf, Map.of("SHOPMESH_PROBE_GREETING", "from-env"), Map.of());
         ProbeProcess sys = ProbeProcess.start(conf, Map.of("SHOPMESH_PROBE_GREETING", "from-env"),
             Map.of("shopmesh.probe.greeting", "from-sys"))) {
      assertThat(get(fileOnly.awaitReadyPort(), "/greeting").body()).isEqualTo("from-file");
      assertThat(get(env.awaitReadyPort(), "/greeting").body()).isEqualTo("from-env");
      assertThat(get(sys.awaitReadyPort(), "/greeting").body()).isEqualTo("from-sys");
    }
  }

  @Test
  @DisplayName("Netty's allocator JFR events are off in a service process unless -Dio.netty.jfr.enabled turns them on")
  void nettyJfrEvents(@TempDir Path dir) throws Exception {
    List<String> conf = serving(dir, "hi");
    try (ProbeProcess byDefault = ProbeProcess.start(conf, Map.of(), Map.of());
         ProbeProcess asked = ProbeProcess.start(conf, Map.of(), Map.of(ServiceRunner.NETTY_JFR, "true"))) {
      assertThat(get(byDefault.awaitReadyPort(), "/netty-jfr").body()).isEqualTo("false");
      assertThat(get(asked.awaitReadyPort(), "/netty-jfr").body()).isEqualTo("true");
    }
  }

  @Test
  @DisplayName("an invalid value stops start-up with exit code 2 and one line naming the key and its source")
  void invalidValue(@TempDir Path dir) throws Exception {
    Path yaml = Files.writeString(dir.resolve("probe.yaml"), "probe:\n  greeting: hello\n");
    try (ProbeProcess probe = ProbeProcess.start(List.of("--conf", yaml.toString()),
        Map.of("SHOPMESH_HTTP_PORT", "eighty"), Map.of())) {
      assertThat(probe.child().awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(probe.child().stderr()).containsExactly("probe: config key 'http.port' (from env "
          + "SHOPMESH_HTTP_PORT): expected an integer between 0 and 65535, got 'eighty'");
    }
  }

  @Test
  @DisplayName("a missing required key stops start-up naming the key, its variable and its property")
  void missingKey(@TempDir Path dir) throws Exception {
    Path yaml = Files.writeString(dir.resolve("probe.yaml"), "http:\n  port: 0\n");
    try (ProbeProcess probe = ProbeProcess.start(List.of("--conf", yaml.toString()), Map.of(), Map.of())) {
      assertThat(probe.child().awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(probe.child().stderr()).singleElement().asString()
          .contains("config key 'probe.greeting' is required")
          .contains("SHOPMESH_PROBE_GREETING")
          .contains("-Dshopmesh.probe.greeting");
    }
  }

  @Test
  @DisplayName("a missing --conf file is refused with a clear line")
  void missingConfFile(@TempDir Path dir) throws Exception {
    try (ProbeProcess probe = ProbeProcess.start(List.of("--conf", dir.resolve("nope.yaml").toString()),
        Map.of(), Map.of())) {
      assertThat(probe.child().awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(probe.child().stderr()).singleElement().asString().contains("nope.yaml").contains("does not exist");
    }
  }

  @Test
  @DisplayName("SIGTERM lets an in-flight request finish, refuses new connections, and exits 0")
  void sigtermDrains(@TempDir Path dir) throws Exception {
    try (ProbeProcess probe = ProbeProcess.start(serving(dir, "hi"), Map.of(), Map.of())) {
      int port = probe.awaitReadyPort();
      CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?ms=4000"))
              .header("X-Request-Id", "drain-test-1").build(),
          HttpResponse.BodyHandlers.ofString());
      String started = probe.child().awaitStdout(line -> line.contains("slow request started"), Duration.ofSeconds(10));
      assertThat(started).contains("\"requestId\":\"drain-test-1\"").contains("\"service\":\"probe\"");

      probe.child().terminate();
      probe.child().awaitStdout(line -> line.contains("draining"), Duration.ofSeconds(10));
      assertThat(refusesConnectionsWithin(port, Duration.ofSeconds(3))).as("new connections refused while draining")
          .isTrue();
      assertThat(slow).as("the in-flight request is still running").isNotDone();

      HttpResponse<String> response = slow.get();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("done");
      assertThat(probe.child().awaitExit(Duration.ofSeconds(30))).isEqualTo(0);
    }
  }

  private boolean refusesConnectionsWithin(int port, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        get(port, "/greeting");
      } catch (ConnectException refused) {
        return true;
      } catch (IOException other) {
        // connection accepted then closed by the draining server: try again
      }
    }
    return false;
  }

  /** The arguments of a probe that serves on a free port with {@code greeting}, from a YAML file in {@code dir}. */
  private static List<String> serving(Path dir, String greeting) throws IOException {
    Path yaml = Files.writeString(dir.resolve("probe.yaml"), "probe:\n  greeting: " + greeting + "\nhttp:\n  port: 0\n");
    return List.of("--conf", yaml.toString());
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
