package io.shopmesh.platform.lifecycle;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopmesh.platform.config.ConfigException;
import io.shopmesh.platform.config.ConfigLoader;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.config.TracingConfig;
import io.shopmesh.platform.metrics.Metrics;
import io.shopmesh.platform.tracing.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The process around a service: parses {@code --conf}, builds Vert.x with metrics and tracing, loads the
 * configuration, starts the service, and turns SIGTERM/SIGINT into a graceful stop that ends
 * with exit code 0. A bad configuration ends the process with one line on stderr and exit code 2.
 */
public final class ServiceRunner {

  /**
   * Netty 4.2's switch for its buffer allocator's JFR events. When on (Netty's default wherever JFR is
   * available), the first buffer a process allocates registers those event types with JFR, recording or
   * not: about a hundred JDK classes and a generated handler per event, 100-150 ms of an event loop
   * in every start. Off unless the operator sets it ({@code -Dio.netty.jfr.enabled=true} to record them).
   */
  static final String NETTY_JFR = "io.netty.jfr.enabled";

  static {
    // before anything loads Netty, which reads it once (the logger below does not)
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SPANS_FLUSH_TIMEOUT = Duration.ofSeconds(5);

  private ServiceRunner() {
  }

  public static void run(String name, String[] args, ServiceStarter starter) {
    run(name, args, starter, Tracing.create(name));
  }

  /**
   * Like {@link #run(String, String[], ServiceStarter)} for the service that takes requests from
   * outside the mesh: it does not let a client's {@code traceparent} decide what is traced.
   */
  public static void runAtEdge(String name, String[] args, ServiceStarter starter) {
    run(name, args, starter, Tracing.atEdge(name));
  }

  private static void run(String name, String[] args, ServiceStarter starter, Tracing tracing) {
    Instant main = Instant.now();
    System.setProperty("shopmesh.service", name);
    Path conf = confPath(name, args);
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();

    PrometheusMeterRegistry registry = Metrics.registry(name);
    // Vert.x needs its tracer now, before the configuration is read: Tracing applies tracing.* below
    Vertx vertx = Metrics.vertx(registry, new VertxOptions(), tracing.vertxTracer());
    ServiceContext service = null;
    Instant configured = null;
    try {
      Settings settings = ConfigLoader.load(vertx, name, conf).await();
      tracing.configure(TracingConfig.from(settings));
      service = new ServiceContext(name, vertx, settings, registry);
      configured = Instant.now();
      service.start(starter).await();
    } catch (ConfigException e) {
      System.err.println(name + ": " + e.getMessage());
      vertx.close();
      System.exit(2);
    } catch (RuntimeException e) {
      LOG.error("{} failed to start", name, e);
      stop(service, vertx, tracing);
      System.exit(1);
    }
    ServiceContext started = service;
    Signal.handle(new Signal("TERM"), signal -> stopAndExit(name, started, vertx, tracing, "SIGTERM"));
    Signal.handle(new Signal("INT"), signal -> stopAndExit(name, started, vertx, tracing, "SIGINT"));
    Instant ready = Instant.now();
    // the JVM's own start time (ms): the process start time the OS reports is derived from the boot
    // time in whole seconds, which made it up to a second early
    Instant jvm = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    // where a slow start went: the JVM up to main, Vert.x and the configuration, the service's own start
    LOG.info("{} ready on port {} in {} ms (JVM {} ms, Vert.x and configuration {} ms, service start {} ms: {})",
        name, started.httpPort(), Duration.between(jvm, ready).toMillis(), Duration.between(jvm, main).toMillis(),
        Duration.between(main, configured).toMillis(), Duration.between(configured, ready).toMillis(),
        String.join(", ", started.stepTimes()));
  }

  private static void stopAndExit(String name, ServiceContext service, Vertx vertx, Tracing tracing, String signal) {
    LOG.info("{} received {}: draining and stopping", name, signal);
    stop(service, vertx, tracing);
    LOG.info("{} stopped", name);
    System.exit(0);
  }

  private static void stop(ServiceContext service, Vertx vertx, Tracing tracing) {
    try {
      if (service != null) {
        service.shutdown().await();
      }
      vertx.close().await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("shutdown did not complete cleanly: {}", e.toString());
    }
    // last, so the spans of the drain itself are sent too
    tracing.close(SPANS_FLUSH_TIMEOUT);
  }

  private static Path confPath(String name, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--conf") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (arg.startsWith("--conf=")) {
        return Path.of(arg.substring("--conf=".length()));
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println("usage: java -jar " + name + ".jar [--conf conf/" + name + ".yaml]");
        System.exit(0);
      }
      System.err.println(name + ": unknown argument '" + arg + "'; usage: java -jar " + name
          + ".jar [--conf conf/" + name + ".yaml]");
      System.exit(2);
    }
    return null;
  }
}
