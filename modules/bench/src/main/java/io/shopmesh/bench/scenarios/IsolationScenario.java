package io.shopmesh.bench.scenarios;

import io.shopmesh.bench.BenchOptions;
import io.shopmesh.bench.Report;
import io.shopmesh.bench.load.LoadGenerator;
import io.shopmesh.bench.load.Result;
import io.shopmesh.bench.load.Target;
import io.shopmesh.devstack.MeshService;
import io.shopmesh.devstack.Poll;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * CPU bulkheads: {@code /health/live} of users and {@code GET /api/products} of inventory, p99 at
 * idle and while the service's own workers are saturated: the password workers by a login flood,
 * the import workers by a 100,000-row CSV import. The event loops must not notice; Vert.x must log
 * no blocked thread. Each round also measures both stresses at once, reported apart: on two cores
 * shared by every process that measures the machine (the import fans out to Kafka and orders) more
 * than a service's bulkheads.
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
      // a bystander: a service the stress does not touch, measured alongside users, tells the
      // bulkheads' leaks apart from the machine being busy (two cores, shared with the stress)
      URI orders = URI.create(mesh.endpoints.services().get(MeshService.ORDERS.serviceName()).url());
      Target bystander = new Target("orders /health/live", orders.getHost(), orders.getPort(),
          i -> new Target.Request("/health/live", MultiMap.caseInsensitiveMultiMap()));
      Target products = new Target("inventory GET /api/products", inventory.getHost(), inventory.getPort(),
          i -> new Target.Request("/api/products?limit=20", MultiMap.caseInsensitiveMultiMap()));
      int rate = options.slowRate();
      int rounds = options.rounds();
      double[] liveRatio = new double[rounds];
      double[] productsRatio = new double[rounds];
      double[] liveIdle = new double[rounds];
      double[] liveBusy = new double[rounds];
      double[] productsIdle = new double[rounds];
      double[] productsBusy = new double[rounds];
      double[] bystanderIdle = new double[rounds];
      double[] bystanderBusy = new double[rounds];
      double[] liveBoth = new double[rounds];
      double[] productsBoth = new double[rounds];
      load.openLoop(live, rate, options.warmup()).await();
      load.openLoop(products, rate, options.warmup()).await();
      for (int round = 0; round < rounds; round++) {
        Future<Result> idleBystander = load.openLoop(bystander, rate, options.measure());
        Result idleLive = load.openLoop(live, rate, options.measure()).await();
        bystanderIdle[round] = idleBystander.await().p99Micros();
        Result idleProducts = load.openLoop(products, rate, options.measure()).await();
        // each service under its own load: users while its password workers are flooded ...
        Runnable flood = startLoginFlood(api);
        Future<Result> busyBystander = load.openLoop(bystander, rate, options.measure());
        liveBusy[round] = load.openLoop(live, rate, options.measure()).await().p99Micros();
        bystanderBusy[round] = busyBystander.await().p99Micros();
        flood.run();
        // ... inventory while its import workers run
        Runnable imported = startImport(vertx, mesh, admin, 2 * round);
        productsBusy[round] = load.openLoop(products, rate, options.measure()).await().p99Micros();
        imported.run();
        // and both at once: on two shared cores this measures the machine more than the bulkheads
        flood = startLoginFlood(api);
        imported = startImport(vertx, mesh, admin, 2 * round + 1);
        Future<Result> liveUnderBoth = load.openLoop(live, rate, options.measure());
        Future<Result> productsUnderBoth = load.openLoop(products, rate, options.measure());
        Future.all(liveUnderBoth, productsUnderBoth).await();
        flood.run();
        imported.run();
        liveBoth[round] = liveUnderBoth.result().p99Micros();
        productsBoth[round] = productsUnderBoth.result().p99Micros();
        liveIdle[round] = idleLive.p99Micros();
        productsIdle[round] = idleProducts.p99Micros();
        liveRatio[round] = liveBusy[round] / liveIdle[round];
        productsRatio[round] = productsBusy[round] / productsIdle[round];
      }
      long blocked = blockedThreadWarnings(mesh);
      Report report = new Report("isolation", new JsonObject().put("ratePerSecond", rate).put("loginFlooders", 32)
          .put("importRows", 100_000));
      report.metric("users /health/live p99 idle", "us", liveIdle, null);
      report.metric("users /health/live p99 during login flood", "us", liveBusy, null);
      report.metric("users /health/live p99 busy / idle", "ratio", liveRatio, "<= 2");
      report.metric("orders /health/live p99 idle (bystander)", "us", bystanderIdle, null);
      report.metric("orders /health/live p99 during login flood (bystander)", "us", bystanderBusy, null);
      report.metric("inventory GET /api/products p99 idle", "us", productsIdle, null);
      report.metric("inventory GET /api/products p99 during import", "us", productsBusy, null);
      report.metric("inventory GET /api/products p99 busy / idle", "ratio", productsRatio, "<= 2");
      report.metric("users /health/live p99, login flood and import at once", "us", liveBoth, null);
      report.metric("inventory GET /api/products p99, login flood and import at once", "us", productsBoth, null);
      report.metric("blocked-thread warnings in all service logs", "count", new double[] {blocked}, "0");
      return report.publish(options.output());
    } finally {
      vertx.close().await();
    }
  }

  /** Starts 32 clients logging in back to back; the returned action stops them and waits until they have. */
  private static Runnable startLoginFlood(ShopApi api) {
    AtomicBoolean flooding = new AtomicBoolean(true);
    List<Future<Void>> flood = new ArrayList<>();
    for (int c = 0; c < 32; c++) {
      flood.add(loginLoop(api, flooding));
    }
    return () -> {
      flooding.set(false);
      Future.join(flood).await();
    };
  }

  /**
   * Uploads a 100,000-row import (answered at once with 202); the returned action waits until the
   * job has finished, so that the next phase starts without it.
   */
  private static Runnable startImport(Vertx vertx, BenchMesh mesh, String admin, int batch) {
    WebClient uploads = WebClient.create(vertx);
    Future<HttpResponse<Buffer>> upload = uploads.postAbs(mesh.endpoints.gateway() + "/api/products/import")
        .bearerTokenAuthentication(admin).putHeader("Content-Type", "text/csv")
        .sendBuffer(csv(100_000, batch));
    return () -> {
      String job = upload.await().getHeader("Location");
      if (job == null) {
        throw new IllegalStateException("the import was not accepted: " + upload.result().statusCode());
      }
      Poll.until("import " + job + " to finish", Duration.ofMinutes(5), () -> !"RUNNING".equals(
          uploads.getAbs(mesh.endpoints.gateway() + job).bearerTokenAuthentication(admin).send().await()
              .bodyAsJsonObject().getString("state")) ? job : null);
      uploads.close();
    };
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
