package io.shopmesh.bench.procs;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;

/**
 * Baseline (b) of the gateway benchmark: a bare vertx-http-proxy in front of the upstream,
 * with the same instances and client pool as the gateway, and nothing else.
 * Usage: {@code BareProxyMain <port> <upstreamPort>}.
 */
public final class BareProxyMain {

  private BareProxyMain() {
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstream = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        var client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true))
            .with(new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(128)).build();
        HttpProxy proxy = HttpProxy.reverseProxy(client).origin(upstream, "127.0.0.1");
        return vertx.createHttpServer().requestHandler(proxy).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())).await();
  }
}
