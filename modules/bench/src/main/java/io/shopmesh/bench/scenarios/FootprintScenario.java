package io.shopmesh.bench.scenarios;

import io.shopmesh.bench.BenchOptions;
import io.shopmesh.bench.Report;
import io.shopmesh.bench.load.LoadGenerator;
import io.shopmesh.bench.load.Result;
import io.shopmesh.devstack.MeshService;
import io.shopmesh.devstack.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

  /** The service's own line: total, then the JVM up to main, Vert.x and configuration, and the service's start. */
  private static final Pattern READY = Pattern.compile("ready on port \\d+ in (\\d+) ms "
      + "\\(JVM (\\d+) ms, Vert.x and configuration (\\d+) ms, service start (\\d+) ms\\)");
  private static final String[] PHASES = {"JVM start to ready", "of which JVM to main",
      "of which Vert.x and configuration", "of which service start"};
  private static final int[] HEAPS_MB = {64, 96, 128, 192, 256};

  private FootprintScenario() {
  }

  public static Path run(BenchOptions options) throws Exception {
    Report report = new Report("footprint", new JsonObject().put("heapsTriedMb", new JsonArray(List.of(64, 96, 128,
        192, 256))).put("orderRate", options.slowRate()));
    try (BenchMesh mesh = BenchMesh.start(options, Map.of())) {
      for (MeshService service : MeshService.values()) {
        double[][] millis = new double[PHASES.length][options.rounds()];
        for (int round = 0; round < options.rounds(); round++) {
          Path log = mesh.log(service);
          int before = readyLines(log).size();
          mesh.stack.service(service).stop();
          mesh.stack.service(service).startAgain();
          mesh.stack.service(service).awaitReady(URI.create(service.url(mesh.stack.options()) + "/health/ready"),
              Duration.ofSeconds(60));
          // /health/ready can answer just before the service logs its ready line: wait for this start's line
          double[] phases = Poll.until(service.serviceName() + "'s ready line", Duration.ofSeconds(10), () -> {
            List<double[]> ready = readyLines(log);
            return ready.size() > before ? ready.get(ready.size() - 1) : null;
          });
          for (int phase = 0; phase < PHASES.length; phase++) {
            millis[phase][round] = phases[phase];
          }
        }
        for (int phase = 0; phase < PHASES.length; phase++) {
          report.metric(service.serviceName() + " " + PHASES[phase], "ms", millis[phase], phase == 0 ? "<= 800" : null);
        }
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

  /** The phases of every ready line in {@code log}, oldest first. */
  private static List<double[]> readyLines(Path log) throws IOException {
    List<double[]> starts = new ArrayList<>();
    if (!Files.exists(log)) {
      return starts;
    }
    for (String line : Files.readAllLines(log)) {
      Matcher m = READY.matcher(line);
      if (m.find()) {
        double[] phases = new double[PHASES.length];
        for (int phase = 0; phase < PHASES.length; phase++) {
          phases[phase] = Double.parseDouble(m.group(phase + 1));
        }
        starts.add(phases);
      }
    }
    return starts;
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
