package io.shopmesh.platform.metrics;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * Vert.x's HTTP server and client metrics with {@link HttpMeters}' resolved meters for requests;
 * connection and byte counts (per connection, already cheap) stay with Vert.x's implementation,
 * which these delegate to.
 */
final class MeteredHttp {

  private MeteredHttp() {
  }

  /** Server side: requests by method, answers by method, route template and status. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class Server extends Connections<HttpServerMetrics>
      implements HttpServerMetrics<HttpMeters.Exchange, Object, Object> {

    private final HttpMeters meters;

    Server(HttpServerMetrics<?, ?, ?> connections, HttpMeters meters) {
      super(connections);
      this.meters = meters;
    }

    @Override
    public HttpMeters.Exchange requestBegin(Object socketMetric, HttpRequest request) {
      return new HttpMeters.Exchange(meters.method(request.method()));
    }

    @Override
    public void requestEnd(HttpMeters.Exchange exchange, HttpRequest request, long bytesRead) {
      exchange.meters.requestBytes.record(bytesRead);
      exchange.requestEnded();
    }

    @Override
    public void requestReset(HttpMeters.Exchange exchange) {
      exchange.meters.resets.increment();
      exchange.reset();
    }

    @Override
    public HttpMeters.Exchange responsePushed(Object socketMetric, HttpMethod method, String uri,
                                              HttpResponse response) {
      return new HttpMeters.Exchange(meters.method(method));
    }

    @Override
    public void responseEnd(HttpMeters.Exchange exchange, HttpResponse response, long bytesWritten) {
      // "" when no route served it, as Vert.x reports it
      exchange.meters.answer(exchange.route != null ? exchange.route : "", response.statusCode())
          .record(exchange.startNanos, bytesWritten);
      exchange.responseEnded();
    }

    /** Vert.x Web reports each route a request passes through; the last is the template that served it. */
    @Override
    public void requestRouted(HttpMeters.Exchange exchange, String route) {
      if (route != null) {
        exchange.route = route;
      }
    }

    @Override
    public Object connected(Object socketMetric, HttpMeters.Exchange exchange, ServerWebSocket webSocket) {
      return connections.connected(socketMetric, null, webSocket);
    }

    @Override
    public void disconnected(Object webSocketMetric) {
      connections.disconnected(webSocketMetric);
    }
  }

  /** Client side: requests sent by method, responses by method and status (no route: the path is the upstream's). */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class Client extends Connections<HttpClientMetrics>
      implements HttpClientMetrics<HttpMeters.Exchange, Object, Object> {

    private final Endpoint endpoint;

    Client(HttpClientMetrics<?, ?, ?> connections, HttpMeters meters) {
      super(connections);
      this.endpoint = new Endpoint(meters);
    }

    /** Vert.x labels client requests by neither server address nor client name here, so every endpoint shares meters. */
    @Override
    public ClientMetrics<HttpMeters.Exchange, HttpRequest, HttpResponse> createEndpointMetrics(
        SocketAddress remoteAddress, int maxPoolSize) {
      return endpoint;
    }

    @Override
    public void endpointConnected(ClientMetrics<HttpMeters.Exchange, ?, ?> endpointMetric) {
    }

    @Override
    public void endpointDisconnected(ClientMetrics<HttpMeters.Exchange, ?, ?> endpointMetric) {
    }

    @Override
    public Object connected(WebSocket webSocket) {
      return connections.connected(webSocket);
    }

    @Override
    public void disconnected(Object webSocketMetric) {
      connections.disconnected(webSocketMetric);
    }
  }

  /** Connection and byte counts: Vert.x's own meters, resolved once per connection. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private abstract static class Connections<M extends TCPMetrics> implements TCPMetrics<Object> {

    /** Vert.x's metrics of the same server or client, which keep counting connections and bytes. */
    final M connections;

    Connections(TCPMetrics<?> connections) {
      this.connections = (M) connections;
    }

    @Override
    public Object connected(SocketAddress remoteAddress, String remoteName) {
      return connections.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
      connections.disconnected(socketMetric, remoteAddress);
    }

    @Override
    public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      connections.bytesRead(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      connections.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void exceptionOccurred(Object socketMetric, SocketAddress remoteAddress, Throwable t) {
      connections.exceptionOccurred(socketMetric, remoteAddress, t);
    }

    @Override
    public void close() {
      connections.close();
    }
  }

  private static final class Endpoint implements ClientMetrics<HttpMeters.Exchange, HttpRequest, HttpResponse> {

    private final HttpMeters meters;

    Endpoint(HttpMeters meters) {
      this.meters = meters;
    }

    @Override
    public HttpMeters.Exchange requestBegin(String uri, HttpRequest request) {
      HttpMeters.ByMethod byMethod = meters.method(request.method());
      byMethod.sent.increment();
      return new HttpMeters.Exchange(byMethod);
    }

    @Override
    public void requestEnd(HttpMeters.Exchange exchange, long bytesWritten) {
      exchange.meters.requestBytes.record(bytesWritten);
      exchange.requestEnded();
    }

    @Override
    public void requestReset(HttpMeters.Exchange exchange) {
      exchange.reset();
    }

    @Override
    public void responseBegin(HttpMeters.Exchange exchange, HttpResponse response) {
      exchange.status = response.statusCode();
    }

    @Override
    public void responseEnd(HttpMeters.Exchange exchange, long bytesRead) {
      exchange.responseEnded();
      exchange.meters.answer(null, exchange.status).record(exchange.startNanos, bytesRead);
    }
  }
}
