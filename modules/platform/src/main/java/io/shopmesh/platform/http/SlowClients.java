package io.shopmesh.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cuts off clients that send their requests too slowly (slowloris). Vert.x closes connections
 * that stay silent for the idle timeout, but a client trickling one byte every few seconds is never
 * silent, and Vert.x has no limit on how long a request may take to arrive. So:
 * <ul>
 *   <li>a new connection whose first request head has not fully arrived {@code headerTimeout} after
 *       it opened is closed;</li>
 *   <li>an HTTP/1 connection kept alive after a response must complete its next request head within
 *       {@code keepAliveTimeout}, checked once per {@code keepAliveTimeout}: a connection that spent one
 *       whole check period with its last response sent and no new head is closed (so after one to two
 *       periods), whether it was silent or trickling;</li>
 *   <li>a request whose body has not fully arrived {@code bodyTimeout} after its head, plus the time its
 *       declared {@code Content-Length} takes at {@code minBodyRate}, is cut off (its connection closed;
 *       on HTTP/2 only its stream is reset).</li>
 * </ul>
 * Each costs a timer; nothing is read or buffered on the request's behalf. The head timer starts
 * when Vert.x announces the connection, which for cleartext HTTP/1 is at once only with h2c
 * detection off ({@link HttpServerVerticle} turns it off). Everything here runs on the
 * connection's event loop.
 */
final class SlowClients {

  private static final Logger LOG = LoggerFactory.getLogger(SlowClients.class);

  private final Vertx vertx;
  private final long headerMillis;
  private final long keepAliveMillis;
  private final long bodyMillis;
  private final long minBodyBytesPerSecond;
  private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

  SlowClients(Vertx vertx, Duration headerTimeout, Duration keepAliveTimeout, Duration bodyTimeout,
              long minBodyBytesPerSecond) {
    this.vertx = vertx;
    this.headerMillis = Math.max(1, headerTimeout.toMillis());
    this.keepAliveMillis = Math.max(1, keepAliveTimeout.toMillis());
    this.bodyMillis = Math.max(1, bodyTimeout.toMillis());
    this.minBodyBytesPerSecond = Math.max(1, minBodyBytesPerSecond);
  }

  /** The server's connection handler: starts watching each new connection. */
  Handler<HttpConnection> connections() {
    return connection -> {
      watches.put(connection, new Watch(connection));
      connection.closeHandler(v -> {
        Watch watch = watches.remove(connection);
        if (watch != null) {
          vertx.cancelTimer(watch.timer);
        }
      });
    };
  }

  /** Wraps the server's request handler: a head arrived, so its body gets its own deadline. */
  Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
    return request -> {
      Watch watch = watches.get(request.connection());
      if (watch != null) {
        watch.arrived(request);
      }
      // a request without a body (most GETs) ends with its head: no body deadline, no timer at all
      if (!request.isEnded() && RequestBodies.mayHaveBody(request)) {
        long deadline = bodyMillis + declaredLength(request) * 1000 / minBodyBytesPerSecond;
        long timer = vertx.setTimer(deadline, t -> {
          if (!request.isEnded() && !request.response().ended()) {
            LOG.debug("cutting off {} {}: its body did not arrive within {} ms", request.method(), request.path(),
                deadline);
            if (request.version() == HttpVersion.HTTP_2) {
              request.response().reset();
            } else {
              request.connection().close();
            }
          }
        });
        request.end().onComplete(v -> vertx.cancelTimer(timer));
      }
      next.handle(request);
    };
  }

  private static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** One connection: the first head's deadline, then (HTTP/1) the periodic check between requests. */
  private final class Watch {

    private final HttpConnection connection;
    private long timer;
    private long heads;
    private HttpServerRequest last;
    private long headsAtLastCheck;
    private boolean waitingAtLastCheck;

    Watch(HttpConnection connection) {
      this.connection = connection;
      this.timer = vertx.setTimer(headerMillis, t -> {
        if (heads == 0) {
          close("no complete request head within " + headerMillis + " ms");
        }
      });
    }

    void arrived(HttpServerRequest request) {
      if (heads++ == 0) {
        vertx.cancelTimer(timer);
        if (request.version() != HttpVersion.HTTP_2) {
          timer = vertx.setPeriodic(keepAliveMillis, t -> check());
        }
      }
      last = request;
    }

    /** Closes the connection when it waited for a next head for a whole period: no new head, response long sent. */
    private void check() {
      boolean waiting = last.response().ended();
      if (heads == headsAtLastCheck && waitingAtLastCheck) {
        close("no complete request head within " + keepAliveMillis + " ms of the last response");
        return;
      }
      headsAtLastCheck = heads;
      waitingAtLastCheck = waiting;
    }

    private void close(String why) {
      LOG.debug("closing a connection from {}: {}", connection.remoteAddress(), why);
      connection.close();
    }
  }
}
