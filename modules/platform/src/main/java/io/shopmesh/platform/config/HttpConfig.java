package io.shopmesh.platform.config;

import java.time.Duration;

/**
 * The HTTP server of a service.
 *
 * @param bodyLimit     largest accepted request body in bytes; larger bodies get 413
 * @param maxHeaderSize largest accepted request header block in bytes; larger get 431
 * @param idleTimeout   a connection idle this long is closed (slow or stuck clients)
 * @param shutdownGrace how long in-flight requests may take to finish on SIGTERM
 * @param headerTimeout a new connection whose first request head has not fully arrived by then is closed
 *                      (slowloris: a client trickling header bytes never looks idle)
 * @param keepAliveTimeout an HTTP/1 connection kept alive must complete its next request head within this
 *                      (checked once per period, so it is closed after one to two periods)
 * @param bodyTimeout   a request whose body has not fully arrived this long after its head, plus the time its
 *                      declared length takes at {@code minBodyRate}, is cut off
 * @param minBodyRate   bytes per second a client uploading a large body is granted at least
 */
public record HttpConfig(String host, int port, long bodyLimit, int maxHeaderSize, Duration idleTimeout,
                         Duration shutdownGrace, Duration headerTimeout, Duration keepAliveTimeout,
                         Duration bodyTimeout, long minBodyRate) {

  /** The same server settings on another port (e.g. the TLS listener). */
  public HttpConfig withPort(int otherPort) {
    return new HttpConfig(host, otherPort, bodyLimit, maxHeaderSize, idleTimeout, shutdownGrace, headerTimeout,
        keepAliveTimeout, bodyTimeout, minBodyRate);
  }

  public static HttpConfig from(Settings s, int defaultPort) {
    return new HttpConfig(
        s.string("http.host", "0.0.0.0"),
        s.port("http.port", defaultPort),
        s.bytes("http.bodyLimit", 1024 * 1024),
        (int) Math.min(Integer.MAX_VALUE, s.bytes("http.maxHeaderSize", 16 * 1024)),
        s.duration("http.idleTimeout", Duration.ofSeconds(60)),
        s.duration("http.shutdownGrace", Duration.ofSeconds(20)),
        s.duration("http.headerTimeout", Duration.ofSeconds(10)),
        s.duration("http.keepAliveTimeout", Duration.ofSeconds(60)),
        s.duration("http.bodyTimeout", Duration.ofSeconds(60)),
        s.bytes("http.minBodyRate", 64 * 1024));
  }
}
