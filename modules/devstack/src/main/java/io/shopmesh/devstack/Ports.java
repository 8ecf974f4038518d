package io.shopmesh.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks done before anything starts, so a clash is one clear line instead of a server's stack trace. */
public final class Ports {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private Ports() {
  }

  /** A port that was free on 127.0.0.1 a moment ago (tests use it to run beside a developer's stack). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + LOOPBACK, e);
    }
  }

  /**
   * Fails unless {@code port} can be bound on 127.0.0.1, the address every devstack server listens on.
   *
   * @param what who needs the port, e.g. {@code gateway}
   * @param flag the command-line flag that changes it, e.g. {@code --gateway-port}
   * @throws PortInUseException with a message like
   *     {@code port 8080 (gateway) is already in use; choose another with --gateway-port}
   */
  public static void requireFree(int port, String what, String flag) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
    } catch (IOException e) {
      throw new PortInUseException(
          "port " + port + " (" + what + ") is already in use; choose another with " + flag);
    }
  }
}
