package io.shopmesh.platform;

import io.netty.util.internal.PlatformDependent;
import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.ServiceRunner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal service run as a child JVM by the process-level tests: it shows the effective value
 * of a config key, whether Netty's JFR events are on, and has a slow endpoint to observe draining on SIGTERM.
 */
public final class ProbeService {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeService.class);

  private ProbeService() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("probe", args, ProbeService::start);
  }

  static Future<?> start(ServiceContext service) {
    HttpConfig http = HttpConfig.from(service.settings(), 0);
    String greeting = service.settings().string("probe.greeting");
    return service.serveHttp(http, vertx -> service.router(vertx, http).routes(router -> {
      router.get("/greeting").respond(ctx -> Future.succeededFuture(greeting));
      // whether Netty emits its allocator's JFR events in this process, as Netty itself decided at its start
      router.get("/netty-jfr").respond(ctx -> Future.succeededFuture(Boolean.toString(PlatformDependent.isJfrEnabled())));
      router.get("/slow").respond(ctx -> {
        LOG.info("slow request started");
        Promise<String> done = Promise.promise();
        vertx.setTimer(Long.parseLong(ctx.queryParams().get("ms")), t -> done.complete("done"));
        return done.future();
      });
    }).build());
  }
}
