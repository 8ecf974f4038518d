package io.shopmesh.platform.config;

import java.time.Duration;

/**
 * The HTTP server of a service.
 *
 * @param bodyLimit     largest accepted request body in bytes; larger bodies get 413
 * @param maxHeaderSize largest accepted request header block in bytes; larger get 431
 * @param idleTimeout   a connection idle this long is closed (slow or stuck clients)
 * @param shutdownGrace how long in-flight requests may take to finish on SIGTERM
 */
public record HttpConfig(String host, int port, long bodyLimit, int maxHeaderSize, Duration idleTimeout,
                         Duration shutdownGrace) {

  /** The same server settings on another port (e.g. the TLS listener). */
  public HttpConfig withPort(int otherPort) {
    return new HttpConfig(host, otherPort, bodyLimit, maxHeaderSize, idleTimeout, shutdownGrace);
  }

  public static HttpConfig from(Settings s, int defaultPort) {
    return new HttpConfig(
        s.string("http.host", "0.0.0.0"),
        s.port("http.port", defaultPort),
        s.bytes("http.bodyLimit", 1024 * 1024),
        (int) Math.min(Integer.MAX_VALUE, s.bytes("http.maxHeaderSize", 16 * 1024)),
        s.duration("http.idleTimeout", Duration.ofSeconds(60)),
        s.duration("http.shutdownGrace", Duration.ofSeconds(20)));
  }
}
