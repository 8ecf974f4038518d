package io.shopmesh.bench.scenarios;

import io.shopmesh.bench.BenchOptions;
import io.shopmesh.bench.Report;
import io.shopmesh.bench.load.LoadGenerator;
import io.shopmesh.bench.load.Result;
import io.shopmesh.bench.load.Target;
import io.shopmesh.bench.procs.BareProxyMain;
import io.shopmesh.bench.procs.ChildProcess;
import io.shopmesh.bench.procs.Nginx;
import io.shopmesh.bench.procs.UpstreamMain;
import io.shopmesh.devstack.MeshService;
import io.shopmesh.devstack.Poll;
import io.shopmesh.devstack.Ports;
import io.shopmesh.devstack.RedisServer;
import io.shopmesh.devstack.ScratchDir;
import io.shopmesh.testkit.PrometheusText;
import io.shopmesh.testkit.TestTokens;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The gateway's cost: the same small upstream answer served (a) directly, (b) through a bare
 * Vert.x http-proxy, (c) through the full gateway (JWT verification with 1,000 users' tokens in
 * rotation, Redis rate limiting, breaker, bulkhead, discovery, access log) and (d) through nginx
 * when it is installed. Rounds interleave the targets, each round starting one target later and
 * every other round in reverse; each round measures closed-loop throughput and open-loop latency at a
 * low rate.
 */
public final class GatewayScenario {

  private static final int USERS = 1000;
  private static final Duration TOKEN_VALIDITY = Duration.ofHours(6);
  /**
   * Every JVM of the scenario: the same heap and collector, and Netty's allocator JFR events off in the
   * upstream and the bare proxy as Shopmesh's services turn them off, so the baselines run the same Netty.
   */
  private static final List<String> JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC",
      "-Dio.netty.jfr.enabled=false");

  private GatewayScenario() {
  }

  public static Path run(BenchOptions options) throws Exception {
    ScratchDir scratch = ScratchDir.create("shopmesh-bench-");
    Path work = scratch.path();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    TestTokens keys = new TestTokens(vertx, "bench-key");
    Path jwks = Files.writeString(work.resolve("jwks.json"), keys.jwks().encode());
    List<String> tokens = new ArrayList<>(USERS);
    for (int i = 0; i < USERS; i++) {
      // valid for the whole run: a run with several compared gateways outlasts the usual ten minutes
      tokens.add(keys.sign(keys.claims(String.format("bench-user-%04d", i), "customer")
          .put("exp", Instant.now().plus(TOKEN_VALIDITY).getEpochSecond())));
    }
    List<AutoCloseable> running = new ArrayList<>();
    try {
      RedisServer redis = RedisServer.start(work.resolve("redis"), Ports.freePort());
      running.add(redis);
      int upstreamPort = Ports.freePort();
      Map<String, Served> served = new LinkedHashMap<>();
      ChildProcess upstream = ChildProcess.java("upstream", JVM, UpstreamMain.class.getName(),
          List.of(Integer.toString(upstreamPort), jwks.toString()), Map.of(), work.resolve("upstream.log"));
      running.add(0, upstream.awaitHttp("http://127.0.0.1:" + upstreamPort + "/.well-known/jwks.json",
          Duration.ofSeconds(30)));
      served.put("direct", new Served(upstreamPort, upstream.pid()));
      int barePort = Ports.freePort();
      ChildProcess bare = ChildProcess.java("bare-proxy", JVM, BareProxyMain.class.getName(),
          List.of(Integer.toString(barePort), Integer.toString(upstreamPort)), Map.of(), work.resolve("bare.log"));
      running.add(0, bare.awaitHttp("http://127.0.0.1:" + barePort + "/x", Duration.ofSeconds(30)));
      served.put("bare-proxy", new Served(barePort, bare.pid()));
      int gatewayPort = Ports.freePort();
      ChildProcess gateway = startGateway(options, "gateway", options.root().resolve("gateway/target/gateway.jar"),
          List.of(), gatewayPort, upstreamPort, redis, work);
      running.add(0, gateway);
      served.put("gateway", new Served(gatewayPort, gateway.pid()));
      for (String other : options.compare().keySet()) {
        int port = Ports.freePort();
        ChildProcess compared = startGateway(options, other, options.compareJar(other, MeshService.GATEWAY),
            options.flagsOf(other), port, upstreamPort, redis, work);
        running.add(0, compared);
        served.put(other, new Served(port, compared.pid()));
      }
      if (Nginx.installed()) {
        int nginxPort = Ports.freePort();
        ChildProcess nginx = Nginx.start(work.resolve("nginx"), nginxPort, upstreamPort);
        running.add(0, nginx.awaitHttp("http://127.0.0.1:" + nginxPort + "/x", Duration.ofSeconds(30)));
        served.put("nginx", new Served(nginxPort, nginx.pid()));
      }
      return measure(options, vertx, tokens, served);
    } finally {
      for (AutoCloseable c : running) {
        c.close();
      }
      vertx.close().await();
      scratch.close();
    }
  }

  private static ChildProcess startGateway(BenchOptions options, String name, Path jar, List<String> flags, int port,
                                           int upstreamPort, RedisServer redis, Path work) {
    String upstream = "http://127.0.0.1:" + upstreamPort;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SHOPMESH_HTTP_HOST", "127.0.0.1");
    env.put("SHOPMESH_HTTP_PORT", Integer.toString(port));
    env.put("SHOPMESH_REDIS_URL", redis.url());
    env.put("SHOPMESH_DISCOVERY_BACKEND", "static");
    env.put("SHOPMESH_UPSTREAMS_USERS", upstream);
    env.put("SHOPMESH_UPSTREAMS_ORDERS", upstream);
    env.put("SHOPMESH_UPSTREAMS_INVENTORY", upstream);
    // limits high enough never to refuse: the limiter still runs (Redis buckets, leases) on every request
    env.put("SHOPMESH_RATE_LIMIT_READ_RATE", "1000000");
    env.put("SHOPMESH_RATE_LIMIT_READ_BURST", "1000000");
    env.putAll(options.env());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM);
    command.addAll(flags);
    command.addAll(options.profileFlags(name));
    command.addAll(List.of("-jar", jar.toString(), "--conf", options.root().resolve("conf/gateway.yaml").toString()));
    ChildProcess gateway = ChildProcess.start(name, command, env, work.resolve(name + ".log"));
    return gateway.awaitHttp("http://127.0.0.1:" + port + "/health/live", Duration.ofSeconds(60));
  }

  /** Where a target listens, and the process that serves it there (whose CPU time per request is measured). */
  private record Served(int port, long pid) {
  }

  private static Path measure(BenchOptions options, Vertx vertx, List<String> tokens, Map<String, Served> served)
      throws IOException, InterruptedException {
    Map<String, Target> targets = new LinkedHashMap<>();
    served.forEach((name, at) -> targets.put(name, new Target(name, "127.0.0.1", at.port(), i -> new Target.Request(
        "/api/products/BENCH-" + (i % 100),
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + tokens.get(Math.floorMod(i, USERS)))))));
    try (LoadGenerator load = new LoadGenerator(vertx, options.callers())) {
      for (String gateway : gateways(options)) {
        awaitAuthenticated(load, targets.get(gateway));
      }
      for (Target target : targets.values()) {
        load.closedLoop(target, options.callers(), options.warmup()).await();
      }
      Map<String, double[]> throughput = new LinkedHashMap<>();
      Map<String, double[]> p50 = new LinkedHashMap<>();
      Map<String, double[]> p99 = new LinkedHashMap<>();
      Map<String, double[]> cpu = new LinkedHashMap<>();
      targets.keySet().forEach(name -> {
        cpu.put(name, new double[options.rounds()]);
        throughput.put(name, new double[options.rounds()]);
        p50.put(name, new double[options.rounds()]);
        p99.put(name, new double[options.rounds()]);
      });
      List<Target> order = new ArrayList<>(targets.values());
      for (int round = 0; round < options.rounds(); round++) {
        // each round starts one target later, and every other round goes the other way round, so no target is
        // always first, or always measured right after the same other one: a place in the order that favours
        // whoever holds it then favours nobody in the median
        List<Target> thisRound = new ArrayList<>(order);
        Collections.rotate(thisRound, -round);
        if (round % 2 == 1) {
          Collections.reverse(thisRound);
        }
        for (Target target : thisRound) {
          long pid = served.get(target.name()).pid();
          Duration cpuBefore = cpuTime(pid);
          Result busy = load.closedLoop(target, options.callers(), options.measure()).await();
          Duration cpuUsed = cpuTime(pid).minus(cpuBefore);
          failOnErrors(busy);
          throughput.get(target.name())[round] = busy.throughput();
          cpu.get(target.name())[round] = cpuUsed.toNanos() / 1000.0 / Math.max(1, busy.requests());
          Result idle = load.openLoop(target, options.slowRate(), options.measure()).await();
          failOnErrors(idle);
          p50.get(target.name())[round] = idle.p50Micros();
          p99.get(target.name())[round] = idle.p99Micros();
        }
        System.out.printf("round %d/%d: %s%n", round + 1, options.rounds(), summary(throughput, round));
      }
      Report report = new Report("gateway", new JsonObject().put("rounds", options.rounds())
          .put("measureSeconds", options.measure().toSeconds()).put("callers", options.callers())
          .put("slowRatePerSecond", options.slowRate()).put("distinctTokens", USERS));
      throughput.forEach((name, values) -> report.metric("throughput " + name, "req/s", values, null));
      report.metric("throughput gateway / bare-proxy", "ratio",
          ratio(throughput.get("gateway"), throughput.get("bare-proxy")), ">= 0.90");
      for (String other : options.compare().keySet()) {
        report.metric("throughput " + other + " / bare-proxy", "ratio",
            ratio(throughput.get(other), throughput.get("bare-proxy")), null);
        report.metric("throughput gateway / " + other, "ratio", ratio(throughput.get("gateway"), throughput.get(other)),
            null);
      }
      // CPU time of the serving process per request while it is saturated: the cost behind the throughput,
      // much less sensitive than throughput to what else the shared machine runs at the time
      cpu.forEach((name, values) -> report.metric("cpu per request " + name, "us", values, null));
      report.metric("cpu per request gateway / bare-proxy", "ratio", ratio(cpu.get("gateway"), cpu.get("bare-proxy")),
          null);
      for (String other : options.compare().keySet()) {
        report.metric("cpu per request gateway / " + other, "ratio", ratio(cpu.get("gateway"), cpu.get(other)), null);
      }
      if (throughput.containsKey("nginx")) {
        report.metric("throughput gateway / nginx", "ratio", ratio(throughput.get("gateway"), throughput.get("nginx")),
            ">= 0.60");
        report.metric("throughput bare-proxy / nginx", "ratio",
            ratio(throughput.get("bare-proxy"), throughput.get("nginx")), null);
      }
      p50.forEach((name, values) -> report.metric("latency p50 at " + options.slowRate() + "/s " + name, "us", values,
          null));
      p99.forEach((name, values) -> report.metric("latency p99 at " + options.slowRate() + "/s " + name, "us", values,
          null));
      report.metric("gateway added latency p50", "us", difference(p50.get("gateway"), p50.get("direct")), "<= 150");
      report.metric("gateway added latency p99", "us", difference(p99.get("gateway"), p99.get("direct")), "<= 500");
      for (String other : options.compare().keySet()) {
        report.metric(other + " added latency p50", "us", difference(p50.get(other), p50.get("direct")), null);
      }
      // over the whole run: how often the limiter took Redis for down (it then decides from local buckets), and how
      // often a request waited for Redis
      for (String gateway : gateways(options)) {
        PrometheusText metrics = PrometheusText.parse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + served.get(gateway).port() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        double all = metrics.sum("shopmesh_ratelimit_decisions_total");
        report.metric(gateway + " rate-limit decisions from local buckets (Redis taken for down)", "%",
            new double[] {all == 0 ? 0 : 100 * metrics.sum("shopmesh_ratelimit_decisions_total", "source=\"local\"")
                / all}, null);
        // the requests that waited for a Redis round trip before going upstream
        report.metric(gateway + " rate-limit decisions that waited for Redis", "%",
            new double[] {all == 0 ? 0 : 100 * metrics.sum("shopmesh_ratelimit_decisions_total", "source=\"redis\"")
                / all}, null);
      }
      return report.publish(options.output());
    }
  }

  /** User and system CPU time of the process and its children (nginx's workers), as the OS counts it. */
  private static Duration cpuTime(long pid) {
    ProcessHandle process = ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("process " + pid + " is gone"));
    return Stream.concat(Stream.of(process), process.descendants())
        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
        .reduce(Duration.ZERO, Duration::plus);
  }

  private static List<String> gateways(BenchOptions options) {
    List<String> names = new ArrayList<>(List.of("gateway"));
    names.addAll(options.compare().keySet());
    return names;
  }

  private static void awaitAuthenticated(LoadGenerator load, Target gateway) {
    Poll.until("the gateway to accept the benchmark's tokens", Duration.ofSeconds(30), () -> {
      Result r = load.closedLoop(gateway, 1, Duration.ofMillis(200)).await();
      return r.errors() == 0 ? Boolean.TRUE : null;
    });
  }

  private static void failOnErrors(Result result) {
    if (result.errors() > 0) {
      throw new IllegalStateException(result.errors() + " of " + result.requests() + " requests to "
          + result.target() + " failed (the first: " + result.firstError() + "): the measurement would not be comparable");
    }
  }

  private static String summary(Map<String, double[]> throughput, int round) {
    StringBuilder s = new StringBuilder();
    throughput.forEach((name, values) -> s.append(name).append('=').append(Math.round(values[round])).append("/s "));
    return s.toString();
  }

  private static double[] ratio(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / b[i];
    }
    return r;
  }

  private static double[] difference(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] - b[i];
    }
    return r;
  }
}
