package io.shopmesh.gateway;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.ServiceChecks;
import io.shopmesh.testkit.TestEnv;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class GatewayStartupTest {

  @Test
  @DisplayName("the gateway service starts against real infrastructure and is live, ready and measured")
  void startsReady(TestEnv env) {
    try (RunningService service = RunningService.start("gateway", GatewayMain::start,
        env.settings("gateway", false, true, false))) {
      ServiceChecks.assertOperable(service);
    }
  }
}
