package io.shopmesh.bench.procs;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The upstream of the gateway benchmark: a small fixed JSON answer for every path, and a JWK set
 * at {@code /.well-known/jwks.json} (so it also stands in for the users service's key set).
 * Usage: {@code UpstreamMain <port> <jwks.json>}.
 */
public final class UpstreamMain {

  private static final Buffer PRODUCT = Buffer.buffer(
      "{\"sku\":\"BENCH-1\",\"name\":\"Benchmark product\",\"priceCents\":1299,\"currency\":\"EUR\",\"available\":42}");

  private UpstreamMain() {
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Buffer jwks = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer().requestHandler(request -> request.response()
            .putHeader("Content-Type", "application/json")
            .end(request.path().equals("/.well-known/jwks.json") ? jwks : PRODUCT))
            .listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())).await();
  }
}
