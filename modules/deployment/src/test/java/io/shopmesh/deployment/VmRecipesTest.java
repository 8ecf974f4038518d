package io.shopmesh.deployment;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The recipes for VMs and containers say what operators rely on. */
class VmRecipesTest {

  private static final Path ROOT = Path.of(System.getProperty("shopmesh.repo.root"));
  private static final List<String> SERVICES = List.of("gateway", "users", "orders", "inventory");

  @Test
  @DisplayName("each systemd unit restarts on failure, gives the drain enough time, bounds memory and drops root")
  void systemdUnits() throws IOException {
    for (String service : SERVICES) {
      String unit = Files.readString(ROOT.resolve("conf/systemd/shopmesh-" + service + ".service"));
      assertThat(unit).as(service)
          .contains("Restart=on-failure", "KillSignal=SIGTERM", "TimeoutStopSec=40s", "User=shopmesh",
              "NoNewPrivileges=yes", "--conf /etc/shopmesh/" + service + ".yaml",
              LauncherFlags.PRIORITIES, LauncherFlags.TIER4_INVOCATIONS, LauncherFlags.TIER4_BACK_EDGES,
              LauncherFlags.MAC_NOT_INLINED)
          .containsPattern("MemoryMax=\\d+[MG]");
      assertThat(Files.exists(ROOT.resolve("conf/" + service + ".yaml"))).as("conf/%s.yaml", service).isTrue();
    }
  }

  @Test
  @DisplayName("systemd-analyze verify accepts every unit (where systemd is installed)")
  void systemdAnalyze() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
    for (String service : SERVICES) {
      Process p = new ProcessBuilder(analyze.toString(), "verify",
          ROOT.resolve("conf/systemd/shopmesh-" + service + ".service").toString()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(output).as(service).isEmpty();
      assertThat(p.exitValue()).isZero();
    }
  }

  @Test
  @DisplayName("the container recipe runs one service's jar as a non-root user with container-sized heap")
  void dockerfile() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre", "USER 10001", "MaxRAMPercentage",
        LauncherFlags.PRIORITIES, LauncherFlags.TIER4_INVOCATIONS, LauncherFlags.TIER4_BACK_EDGES,
        LauncherFlags.MAC_NOT_INLINED, "ENTRYPOINT [\"java\", \"-jar\"");
  }
}
