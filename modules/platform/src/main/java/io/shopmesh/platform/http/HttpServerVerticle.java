package io.shopmesh.platform.http;

import io.shopmesh.platform.config.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Serves a service's router. Undeploying it is the graceful part of a shutdown: the server stops
 * accepting connections and gives in-flight requests {@link HttpConfig#shutdownGrace()} to finish.
 * Clients that send their requests too slowly are cut off ({@link SlowClients}).
 */
public final class HttpServerVerticle extends VerticleBase {

  private final HttpConfig config;
  private final Function<Vertx, Router> routes;
  private final UnaryOperator<HttpServerOptions> customizer;
  private HttpServer server;

  /**
   * @param customizer adjusts the server options (e.g. TLS) after the common ones are set
   */
  public HttpServerVerticle(HttpConfig config, Function<Vertx, Router> routes,
                            UnaryOperator<HttpServerOptions> customizer) {
    this.config = config;
    this.routes = routes;
    this.customizer = customizer;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setMaxHeaderSize(config.maxHeaderSize())
        .setIdleTimeout((int) config.idleTimeout().toSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHandle100ContinueAutomatically(true)
        // HTTP/2 is offered over TLS (ALPN) only. With cleartext h2c detection on, Vert.x sets an
        // HTTP/1 connection up only once its first request head is complete, which would leave
        // SlowClients' header timeout blind to clients trickling that head.
        .setHttp2ClearTextEnabled(false)
        // no Shopmesh server speaks WebSocket; with compression offered, every connection's pipeline had a
        // WebSocket extension handler looking at each request and response for an upgrade
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
    SlowClients slowClients = new SlowClients(vertx, config.headerTimeout(), config.keepAliveTimeout(),
        config.bodyTimeout(), config.minBodyRate());
    server = vertx.createHttpServer(customizer.apply(options))
        .connectionHandler(slowClients.connections())
        .invalidRequestHandler(new InvalidRequests())
        .requestHandler(slowClients.requests(routes.apply(vertx)));
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
