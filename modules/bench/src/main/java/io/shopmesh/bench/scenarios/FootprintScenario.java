package io.shopmesh.bench.scenarios;

import io.shopmesh.bench.BenchOptions;
import io.shopmesh.bench.Report;
import io.shopmesh.bench.load.LoadGenerator;
import io.shopmesh.bench.load.Result;
import io.shopmesh.devstack.MeshService;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service costs to run: time from JVM start to ready (each service restarted alone while
 * the others run) and the smallest heap at which the orders flow runs without errors at a steady
 * rate, with each process's resident memory.
 */
public final class FootprintScenario {

  private static final Pattern READY = Pattern.compile("ready on port \\d+ in (\\d+) ms");
  private static final int[] HEAPS_MB = {64, 96, 128, 192, 256};

  private FootprintScenario() {
  }

  public static Path run(BenchOptions options) throws Exception {
    Report report = new Report("footprint", new JsonObject().put("heapsTriedMb", new JsonArray(List.of(64, 96, 128,
        192, 256))).put("orderRate", options.slowRate()));
    try (BenchMesh mesh = BenchMesh.start(options, Map.of())) {
      for (MeshService service : MeshService.values()) {
        double[] millis = new double[options.rounds()];
        for (int round = 0; round < options.rounds(); round++) {
          mesh.stack.service(service).stop();
          mesh.stack.service(service).startAgain();
          mesh.stack.service(service).awaitReady(URI.create(service.url(mesh.stack.options()) + "/health/ready"),
              Duration.ofSeconds(60));
          millis[round] = lastReadyMillis(mesh.log(service));
        }
        report.metric(service.serviceName() + " JVM start to ready", "ms", millis, "<= 800");
      }
    }
    for (int heap : HEAPS_MB) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
      try (BenchMesh mesh = BenchMesh.start(options, Map.of(), List.of("-Xms" + heap + "m", "-Xmx" + heap + "m"));
           ShopApi api = new ShopApi(vertx, mesh.endpoints.gateway(), 128);
           LoadGenerator load = new LoadGenerator(vertx, 1)) {
        String admin = api.login(mesh.endpoints.admin().email(), mesh.endpoints.admin().password()).await();
        api.createProduct(admin, "BENCH-FOOT", 100, 1_000_000_000).await();
        List<String> tokens = OrdersScenario.customers(api, 20);
        load.openLoop("warmup", 20, options.warmup(), i -> api.orderConfirmed(tokens.get(i % 20), "BENCH-FOOT")).await();
        Result r = load.openLoop("orders@" + heap + "m", options.slowRate(), options.measure(),
            i -> api.orderConfirmed(tokens.get(i % 20), "BENCH-FOOT")).await();
        System.out.printf("heap %d MB: %d orders, %d errors, p99 %.1f ms%n", heap, r.requests(), r.errors(),
            r.p99Micros() / 1000);
        if (r.errors() == 0) {
          report.metric("smallest -Xmx with no errors at " + options.slowRate() + " orders/s", "MB",
              new double[] {heap}, "<= 128");
          for (MeshService service : MeshService.values()) {
            report.metric(service.serviceName() + " resident memory at -Xmx" + heap + "m", "MB",
                new double[] {residentMb(mesh.stack.service(service).pid())}, null);
          }
          break;
        }
      } finally {
        vertx.close().await();
      }
    }
    return report.publish(options.output());
  }

  private static double lastReadyMillis(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    for (int i = lines.size() - 1; i >= 0; i--) {
      Matcher m = READY.matcher(lines.get(i));
      if (m.find()) {
        return Double.parseDouble(m.group(1));
      }
    }
    throw new IllegalStateException("no ready line in " + log);
  }

  private static double residentMb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return -1;
  }
}
