package io.shopmesh.devstack;

import sun.misc.Signal;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in service for supervisor tests, run from a jar of its own: the first run (no marker
 * file yet) exits with code 3; later runs serve {@code /health/ready} on SHOPMESH_HTTP_PORT and
 * exit 0 on SIGTERM, as the services do.
 * It uses only the JDK, so the jar needs nothing else.
 */
public final class FlakyService {

  private FlakyService() {
  }

  public static void main(String[] args) throws Exception {
    Path marker = Path.of(System.getenv("FLAKY_MARKER"));
    if (!Files.exists(marker)) {
      Files.createFile(marker);
      System.out.println("failing once");
      System.exit(3);
    }
    int port = Integer.parseInt(System.getenv("SHOPMESH_HTTP_PORT"));
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/health/ready", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    Signal.handle(new Signal("TERM"), signal -> System.exit(0));
    System.out.println("up with " + String.join(" ", args));
  }
}
