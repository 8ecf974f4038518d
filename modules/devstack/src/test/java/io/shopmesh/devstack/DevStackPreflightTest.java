package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevStackPreflightTest {

  @TempDir
  Path dir;

  private DevStackOptions options(boolean fresh, boolean infraOnly, int gatewayPort, int usersPort) {
    return new DevStackOptions(dir, dir.resolve("state/data"), fresh, gatewayPort, usersPort, Ports.freePort(),
        Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), infraOnly);
  }

  @Test
  @DisplayName("a missing service jar says how to build it")
  void missingJar() {
    assertThatThrownBy(() -> DevStackPreflight.check(options(false, false, Ports.freePort(), Ports.freePort())))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("gateway/target/gateway.jar is missing")
        .hasMessageContaining("./shopmesh dev")
        .hasMessageContaining("mvn -B package -DskipTests");
  }

  @Test
  @DisplayName("two flags given the same port are refused before anything starts")
  void samePortTwice() {
    int port = Ports.freePort();
    assertThatThrownBy(() -> DevStackPreflight.check(options(false, false, port, port)))
        .hasMessage("port " + port + " is given to both --gateway-port and --users-port; choose another");
  }

  @Test
  @DisplayName("--fresh wipes what devstack wrote and refuses a directory holding anything else")
  void fresh() throws Exception {
    Path data = dir.resolve("state/data");
    Files.createDirectories(data.resolve("postgres/base"));
    Files.writeString(data.resolve("kafka.log"), "old");
    DevStackPreflight.check(options(true, true, 1, 2));
    assertThat(data).doesNotExist();

    Files.createDirectories(data);
    Files.writeString(data.resolve("thesis.tex"), "precious");
    assertThatThrownBy(() -> DevStackPreflight.check(options(true, true, 1, 2)))
        .hasMessageContaining("refusing to wipe").hasMessageContaining("thesis.tex");
    assertThat(data.resolve("thesis.tex")).exists();
  }
}
