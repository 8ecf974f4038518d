package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  @DisplayName("a taken port is reported in one line naming its user and the flag to change it")
  void takenPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> Ports.requireFree(port, "gateway", "--gateway-port"))
          .isInstanceOf(PortInUseException.class)
          .hasMessage("port " + port + " (gateway) is already in use; choose another with --gateway-port");
    }
  }

  @Test
  @DisplayName("free ports handed out one after the other are all different (a stack is given eight at once)")
  void freePortsDistinct() {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 3000; i++) {
      ports.add(Ports.freePort());
    }
    assertThat(ports).hasSize(3000);
  }

  @Test
  @DisplayName("a free port passes the check")
  void freePort() {
    int port = Ports.freePort();
    assertThatCode(() -> Ports.requireFree(port, "redis", "--redis-port")).doesNotThrowAnyException();
  }
}
