package io.shopmesh.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Port checks done before anything starts, so a clash is one clear line instead of a server's stack trace. */
public final class Ports {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private Ports() {
  }

  /**
   * A port that was free on 127.0.0.1 a moment ago (tests use it to run beside a developer's stack), and
   * that this JVM has not handed out before: the kernel may well give the same free port to two binds in a
   * row, and a stack whose gateway and Redis were both given one port refused to start.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("no free port on " + LOOPBACK, e);
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port on " + LOOPBACK + " that was not handed out already");
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
