package io.shopmesh.gateway.proxy;

import io.shopmesh.gateway.upstream.Upstream;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.http.ProblemHandler;
import io.shopmesh.platform.http.RequestBodies;
import io.shopmesh.platform.http.RequestId;
import io.shopmesh.platform.tracing.Traces;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;

import java.time.Duration;

/**
 * Streams requests to one upstream with vertx-http-proxy (hop-by-hop headers removed, bodies
 * piped with back-pressure). The upstream call runs under the upstream's bulkhead, breaker and
 * timeout; when it cannot be made the client gets a problem document instead of a bare 502.
 */
public final class GatewayProxy {

  private static final String REQUEST_ID = "requestId";
  private static final MediaType PROBLEM_JSON = MediaType.parse(ProblemHandler.CONTENT_TYPE);
  private final HttpProxy proxy;

  public GatewayProxy(HttpClient client, Upstream upstream, Duration longPollTimeout) {
    this.proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), client)
        .origin(ctx -> connect(upstream, ctx.request().proxiedRequest(), longPollTimeout))
        .addInterceptor(new Guard(upstream));
  }

  /**
   * The upstream request, whose answer must come within the upstream's timeout (a long poll's within
   * {@code longPollTimeout}) counted from when the client's body has been received: an upload that takes
   * longer than the timeout to arrive is not a hung upstream. Until then the client's own body deadline
   * ({@code http.bodyTimeout} and {@code http.minBodyRate}) bounds the wait.
   */
  private static Future<HttpClientRequest> connect(Upstream upstream, HttpServerRequest client,
                                                   Duration longPollTimeout) {
    Duration timeout = isLongPoll(client) ? longPollTimeout : upstream.timeout();
    if (client.isEnded() || !RequestBodies.mayHaveBody(client)) {
      return upstream.connect(timeout);
    }
    return upstream.connect(Duration.ZERO)
        .onSuccess(request -> client.end().onComplete(v -> request.idleTimeout(timeout.toMillis())));
  }

  /** Proxies the (paused) request of {@code ctx}; the route has already authorised it. */
  public void handle(RoutingContext ctx) {
    proxy.handle(ctx.request());
  }

  /** A read that waits for a change ({@code GET ...?waitFor=}): a longer timeout, and a bulkhead of its own. */
  /** A long poll: a read that waits for a state ({@code GET ...?waitFor=}). */
  public static boolean isLongPoll(HttpServerRequest request) {
    return request.method() == HttpMethod.GET && request.getParam("waitFor") != null;
  }

  private static final class Guard implements ProxyInterceptor {

    private final Upstream upstream;

    Guard(Upstream upstream) {
      this.upstream = upstream;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
      HttpServerRequest client = ctx.request().proxiedRequest();
      String requestId = client.response().headers().get(RequestId.HEADER);
      ctx.set(REQUEST_ID, requestId);
      ForwardedHeaders.rewrite(ctx.request().headers(), client.remoteAddress().hostAddress(), client.isSSL(),
          requestId);
      if (Traces.current().isValid()) {
        // the traced upstream call writes the gateway's own context; a copied client header would come first
        ctx.request().headers().remove(Traces.TRACEPARENT).remove("tracestate");
      }
      return upstream.call(ctx::sendRequest, ProxyResponse::getStatusCode, () -> client.response().closed(),
              isLongPoll(client))
          .recover(e -> Future.succeededFuture(problem(ctx, e)));
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext ctx) {
      // the gateway already put the request id on the client's response; the upstream echoes it
      ctx.response().headers().remove(RequestId.HEADER);
      ForwardedHeaders.removeConnectionListed(ctx.response().headers());
      return ctx.sendResponse();
    }

    private static ProxyResponse problem(ProxyContext ctx, Throwable failure) {
      ProblemException problem = failure instanceof ProblemException p ? p
          : new ProblemException(502, "Bad Gateway", "the upstream did not send a valid answer");
      ProxyResponse response = ctx.request().release().response().setStatusCode(problem.status());
      response.headers().clear();
      if (problem.retryAfter() != null) {
        response.putHeader("Retry-After", Long.toString(Math.max(1, problem.retryAfter().toSeconds())));
      }
      String instance = ctx.request().proxiedRequest().path();
      return response.setBody(Body.body(ProblemHandler.document(problem, instance, ctx.get(REQUEST_ID, String.class))
          .toBuffer(), PROBLEM_JSON));
    }
  }
}
