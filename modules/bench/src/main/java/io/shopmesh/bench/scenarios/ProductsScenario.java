package io.shopmesh.bench.scenarios;

import io.shopmesh.bench.BenchOptions;
import io.shopmesh.bench.Report;
import io.shopmesh.bench.load.LoadGenerator;
import io.shopmesh.bench.load.Result;
import io.shopmesh.bench.load.Target;
import io.shopmesh.devstack.MeshService;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Catalog reads by signed-in customers, through the gateway and straight to inventory: one
 * product by sku and a page of the list, interleaved per round (throughput closed loop, latency
 * open loop at a low rate).
 */
public final class ProductsScenario {

  private static final int PRODUCTS = 100;

  private ProductsScenario() {
  }

  public static Path run(BenchOptions options) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try (BenchMesh mesh = BenchMesh.start(options, Map.of());
         ShopApi api = new ShopApi(vertx, mesh.endpoints.gateway(), 16);
         LoadGenerator load = new LoadGenerator(vertx, options.callers())) {
      String admin = api.login(mesh.endpoints.admin().email(), mesh.endpoints.admin().password()).await();
      for (int i = 0; i < PRODUCTS; i++) {
        api.createProduct(admin, "BENCH-P-" + i, 100 + i, 1000).await();
      }
      List<String> tokens = OrdersScenario.customers(api, 50);
      URI gateway = URI.create(mesh.endpoints.gateway());
      URI inventory = URI.create(mesh.endpoints.services().get(MeshService.INVENTORY.serviceName()).url());
      Map<String, Target> targets = new LinkedHashMap<>();
      targets.put("item direct", target("item direct", inventory, tokens, true));
      targets.put("item gateway", target("item gateway", gateway, tokens, true));
      targets.put("list direct", target("list direct", inventory, tokens, false));
      targets.put("list gateway", target("list gateway", gateway, tokens, false));
      for (Target t : targets.values()) {
        load.closedLoop(t, options.callers(), options.warmup()).await();
      }
      Map<String, double[]> throughput = new LinkedHashMap<>();
      Map<String, double[]> p99 = new LinkedHashMap<>();
      targets.keySet().forEach(n -> {
        throughput.put(n, new double[options.rounds()]);
        p99.put(n, new double[options.rounds()]);
      });
      for (int round = 0; round < options.rounds(); round++) {
        for (Target t : targets.values()) {
          Result busy = load.closedLoop(t, options.callers(), options.measure()).await();
          throughput.get(t.name())[round] = busy.throughput();
          p99.get(t.name())[round] = load.openLoop(t, options.slowRate(), options.measure()).await().p99Micros();
        }
      }
      Report report = new Report("products", new JsonObject().put("products", PRODUCTS).put("customers", 50)
          .put("callers", options.callers()));
      throughput.forEach((n, v) -> report.metric("throughput " + n, "req/s", v, null));
      p99.forEach((n, v) -> report.metric("latency p99 at " + options.slowRate() + "/s " + n, "us", v, null));
      report.metric("item throughput gateway / direct", "ratio",
          ratio(throughput.get("item gateway"), throughput.get("item direct")), null);
      report.metric("list throughput gateway / direct", "ratio",
          ratio(throughput.get("list gateway"), throughput.get("list direct")), null);
      return report.publish(options.output());
    } finally {
      vertx.close().await();
    }
  }

  private static Target target(String name, URI base, List<String> tokens, boolean item) {
    return new Target(name, base.getHost(), base.getPort(), i -> new Target.Request(
        item ? "/api/products/BENCH-P-" + (i % PRODUCTS) : "/api/products?limit=20",
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + tokens.get(i % tokens.size()))));
  }

  private static double[] ratio(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / b[i];
    }
    return r;
  }
}
