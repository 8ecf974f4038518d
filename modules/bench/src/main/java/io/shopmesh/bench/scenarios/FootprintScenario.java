package io.shopmesh.bench.scenarios;

import io.shopmesh.bench.BenchOptions;
import io.shopmesh.bench.Report;
import io.shopmesh.bench.load.LoadGenerator;
import io.shopmesh.bench.load.Result;
import io.shopmesh.devstack.MeshService;
import io.shopmesh.devstack.Poll;
import io.shopmesh.devstack.ServiceProcess;
import io.shopmesh.devstack.ServiceSpec;
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
import java.util.Collections;
import java.util.LinkedHashMap;
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
      + "\\(JVM (\\d+) ms, Vert.x and configuration (\\d+) ms, service start (\\d+) ms[:)]");
  /** The steps of the service's own start, with their durations, that follow on the same line. */
  private static final Pattern STEPS = Pattern.compile("service start \\d+ ms: ([^\"]*)\\)");
  private static final String[] PHASES = {"JVM start to ready", "of which JVM to main",
      "of which Vert.x and configuration", "of which service start"};
  private static final int[] HEAPS_MB = {64, 96, 128, 192, 256};
  /** This checkout's build in a round's order (the compared builds go by their names, which cannot be empty). */
  private static final String THIS_BUILD = "";

  private FootprintScenario() {
  }

  public static Path run(BenchOptions options) throws Exception {
    Report report = new Report("footprint", new JsonObject().put("heapsTriedMb", new JsonArray(List.of(64, 96, 128,
        192, 256))).put("orderRate", options.slowRate()));
    try (BenchMesh mesh = BenchMesh.start(options, Map.of())) {
      for (MeshService service : MeshService.values()) {
        ServiceProcess current = mesh.stack.service(service);
        URI ready = URI.create(service.url(mesh.stack.options()) + "/health/ready");
        Map<String, ServiceProcess> others = new LinkedHashMap<>();
        for (String name : options.compare().keySet()) {
          // a first, unmeasured start of the other build writes its class data archive
          ServiceSpec spec = current.spec();
          current.stop();
          List<String> flags = new ArrayList<>(spec.jvmFlags());
          flags.addAll(options.flagsOf(name));
          ServiceProcess other = ServiceProcess.start(new ServiceSpec(spec.name(), options.compareJar(name, service),
              spec.conf(), flags, spec.env(), mesh.log(service).resolveSibling(service.serviceName() + "-"
              + name + ".log"), spec.classArchives() == null ? null : spec.classArchives().resolve(name)));
          other.awaitReady(ready, Duration.ofSeconds(60));
          other.stop();
          others.put(name, other);
          current.startAgain();
          current.awaitReady(ready, Duration.ofSeconds(60));
        }
        double[][] millis = new double[PHASES.length][options.rounds()];
        Map<String, double[]> otherMillis = new LinkedHashMap<>();
        others.keySet().forEach(name -> otherMillis.put(name, new double[options.rounds()]));
        for (int round = 0; round < options.rounds(); round++) {
          // every build once per round, each alone in the mesh; every other round in reverse, so no build always
          // starts right after the same one (with a fixed order, two starts of the same jar measured 5% apart)
          List<String> order = new ArrayList<>();
          order.add(THIS_BUILD);
          order.addAll(others.keySet());
          if (round % 2 == 1) {
            Collections.reverse(order);
          }
          ServiceProcess running = current;
          for (String build : order) {
            running.stop();
            running = build.equals(THIS_BUILD) ? current : others.get(build);
            double[] phases = restart(running, ready);
            if (running == current) {
              for (int phase = 0; phase < PHASES.length; phase++) {
                millis[phase][round] = phases[phase];
              }
            } else {
              otherMillis.get(build)[round] = phases[0];
            }
          }
          if (running != current) {
            // the mesh goes on with this build
            running.stop();
            current.startAgain();
            current.awaitReady(ready, Duration.ofSeconds(60));
          }
        }
        for (int phase = 0; phase < PHASES.length; phase++) {
          report.metric(service.serviceName() + " " + PHASES[phase], "ms", millis[phase], phase == 0 ? "<= 800" : null);
        }
        for (Map.Entry<String, double[]> other : otherMillis.entrySet()) {
          report.metric(service.serviceName() + " " + PHASES[0] + ", " + other.getKey(), "ms", other.getValue(), null);
          double[] ratio = new double[options.rounds()];
          for (int round = 0; round < ratio.length; round++) {
            ratio[round] = millis[0][round] / other.getValue()[round];
          }
          report.metric(service.serviceName() + " start to ready, this build / " + other.getKey(), "x", ratio, null);
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

  /** Starts a stopped service again and returns the phases of its ready line once it is ready. */
  private static double[] restart(ServiceProcess service, URI ready) throws IOException {
    Path log = service.spec().logFile();
    int before = readyLines(log).size();
    service.startAgain();
    service.awaitReady(ready, Duration.ofSeconds(60));
    // /health/ready can answer just before the service logs its ready line: wait for this start's line
    double[] phases = Poll.until(service.name() + "'s ready line", Duration.ofSeconds(10), () -> {
      List<double[]> lines = readyLines(log);
      return lines.size() > before ? lines.get(lines.size() - 1) : null;
    });
    // where the service's own start went, as the service tells it (builds before 2026-11-26 do not)
    String steps = Files.readAllLines(log).stream().map(STEPS::matcher).filter(Matcher::find)
        .reduce((first, second) -> second).map(m -> m.group(1)).orElse("not listed");
    System.out.printf("%s (%s) started in %.0f ms; steps: %s%n", service.name(), service.spec().jar(), phases[0],
        steps);
    return phases;
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
