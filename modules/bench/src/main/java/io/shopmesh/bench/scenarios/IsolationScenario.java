package io.shopmesh.bench.scenarios;

import io.shopmesh.bench.BenchOptions;
import io.shopmesh.bench.Report;
import io.shopmesh.bench.load.LoadGenerator;
import io.shopmesh.bench.load.Result;
import io.shopmesh.bench.load.Target;
import io.shopmesh.devstack.MeshService;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * CPU bulkheads: {@code /health/live} of users and {@code GET /api/products} of inventory, p99 at
 * idle and while the password workers are saturated by a login flood and the import workers by a
 * 100,000-row CSV import. The event loops must not notice; Vert.x must log no blocked thread.
 */
public final class IsolationScenario {

  private IsolationScenario() {
  }

  public static Path run(BenchOptions options) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try (BenchMesh mesh = BenchMesh.start(options, Map.of());
         ShopApi api = new ShopApi(vertx, mesh.endpoints.gateway(), 64);
         LoadGenerator load = new LoadGenerator(vertx, 8)) {
      String admin = api.login(mesh.endpoints.admin().email(), mesh.endpoints.admin().password()).await();
      api.customer("flood@example.com").await();
      URI users = URI.create(mesh.endpoints.services().get(MeshService.USERS.serviceName()).url());
      URI inventory = URI.create(mesh.endpoints.services().get(MeshService.INVENTORY.serviceName()).url());
      Target live = new Target("users /health/live", users.getHost(), users.getPort(),
          i -> new Target.Request("/health/live", MultiMap.caseInsensitiveMultiMap()));
      Target products = new Target("inventory GET /api/products", inventory.getHost(), inventory.getPort(),
          i -> new Target.Request("/api/products?limit=20", MultiMap.caseInsensitiveMultiMap()));
      int rate = options.slowRate();
      double[] liveRatio = new double[options.rounds()];
      double[] productsRatio = new double[options.rounds()];
      double[] liveIdle = new double[options.rounds()];
      double[] liveBusy = new double[options.rounds()];
      double[] productsIdle = new double[options.rounds()];
      double[] productsBusy = new double[options.rounds()];
      load.openLoop(live, rate, options.warmup()).await();
      load.openLoop(products, rate, options.warmup()).await();
      for (int round = 0; round < options.rounds(); round++) {
        Result idleLive = load.openLoop(live, rate, options.measure()).await();
        Result idleProducts = load.openLoop(products, rate, options.measure()).await();
        AtomicBoolean flooding = new AtomicBoolean(true);
        List<Future<Void>> flood = new ArrayList<>();
        for (int c = 0; c < 32; c++) {
          flood.add(loginLoop(api, flooding));
        }
        WebClient uploads = WebClient.create(vertx);
        Future<?> importing = uploads.postAbs(mesh.endpoints.gateway() + "/api/products/import")
            .bearerTokenAuthentication(admin).putHeader("Content-Type", "text/csv")
            .sendBuffer(csv(100_000, round));
        Future<Result> busyLive = load.openLoop(live, rate, options.measure());
        Future<Result> busyProducts = load.openLoop(products, rate, options.measure());
        Future.all(busyLive, busyProducts).await();
        flooding.set(false);
        Future.join(flood).await();
        importing.await();
        uploads.close();
        liveIdle[round] = idleLive.p99Micros();
        liveBusy[round] = busyLive.result().p99Micros();
        productsIdle[round] = idleProducts.p99Micros();
        productsBusy[round] = busyProducts.result().p99Micros();
        liveRatio[round] = liveBusy[round] / liveIdle[round];
        productsRatio[round] = productsBusy[round] / productsIdle[round];
      }
      long blocked = blockedThreadWarnings(mesh);
      Report report = new Report("isolation", new JsonObject().put("ratePerSecond", rate).put("loginFlooders", 32)
          .put("importRows", 100_000));
      report.metric("users /health/live p99 idle", "us", liveIdle, null);
      report.metric("users /health/live p99 during login flood", "us", liveBusy, null);
      report.metric("users /health/live p99 busy / idle", "ratio", liveRatio, "<= 2");
      report.metric("inventory GET /api/products p99 idle", "us", productsIdle, null);
      report.metric("inventory GET /api/products p99 during import", "us", productsBusy, null);
      report.metric("inventory GET /api/products p99 busy / idle", "ratio", productsRatio, "<= 2");
      report.metric("blocked-thread warnings in all service logs", "count", new double[] {blocked}, "0");
      return report.publish(options.output());
    } finally {
      vertx.close().await();
    }
  }

  private static Future<Void> loginLoop(ShopApi api, AtomicBoolean running) {
    if (!running.get()) {
      return Future.succeededFuture();
    }
    return api.login("flood@example.com", "correct horse battery staple").otherwiseEmpty()
        .compose(token -> loginLoop(api, running));
  }

  private static Buffer csv(int rows, int round) {
    StringBuilder csv = new StringBuilder("sku,name,description,priceCents,currency,stock\n");
    for (int i = 0; i < rows; i++) {
      csv.append("IMP-").append(round).append('-').append(i).append(",Imported ").append(i)
          .append(",bulk import,").append(100 + i % 1000).append(",EUR,").append(i % 500).append('\n');
    }
    return Buffer.buffer(csv.toString());
  }

  private static long blockedThreadWarnings(BenchMesh mesh) throws Exception {
    long count = 0;
    for (MeshService service : MeshService.values()) {
      Path log = mesh.log(service);
      if (Files.exists(log)) {
        try (var lines = Files.lines(log)) {
          count += lines.filter(l -> l.contains("has been blocked for")).count();
        }
      }
    }
    return count;
  }
}
