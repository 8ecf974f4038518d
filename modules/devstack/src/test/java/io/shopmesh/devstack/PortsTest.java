package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
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
  @DisplayName("a free port passes the check")
  void freePort() {
    int port = Ports.freePort();
    assertThatCode(() -> Ports.requireFree(port, "redis", "--redis-port")).doesNotThrowAnyException();
  }
}
