package io.shopmesh.testkit;

import io.shopmesh.platform.config.DiscoveryConfig;
import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.discovery.ServiceInstance;
import io.shopmesh.platform.discovery.ServiceRegistries;
import io.shopmesh.platform.discovery.ServiceRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Announcing in discovery (Redis, as on VMs) is the last step of a start, so the first announcement
 * already says ready: gateways use a new instance at once instead of at its next readiness re-check.
 */
@ExtendWith(InfraExtension.class)
class AnnounceTest {

  @Test
  @DisplayName("a started service is found ready in discovery right after its start, before any re-announcement")
  void readyAtTheFirstAnnouncement(TestEnv env) {
    // a long heartbeat: what the registry holds right after the start is the first announcement
    JsonObject settings = env.settings("announcer", false, true, false).put("discovery", new JsonObject()
        .put("backend", "redis").put("heartbeat", "60s").put("ttl", "180s").put("drainDelay", "0s"));
    Vertx vertx = Vertx.vertx();
    RunningService service = RunningService.start("announcer", s -> {
      HttpConfig http = HttpConfig.from(s.settings(), 0);
      return s.serveHttp(http, v -> s.router(v, http).build())
          .compose(port -> s.announce(DiscoveryConfig.from(s.settings())));
    }, settings);
    ServiceRegistry registry = ServiceRegistries.create(vertx, DiscoveryConfig.from(Settings.of(settings)));
    try {
      List<ServiceInstance> found = registry.instances("announcer").await();
      assertThat(found).extracting(ServiceInstance::port).containsExactly(service.port());
    } finally {
      registry.close().await();
      service.close();
      vertx.close().await();
    }
  }
}
