package io.shopmesh.orders;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.ServiceChecks;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class OrdersStartupTest {

  @Test
  @DisplayName("the orders service starts against real infrastructure and is live, ready and measured")
  void startsReady(TestEnv env) {
    try (RunningService service = RunningService.start("orders", OrdersMain::start,
        env.settings("orders", true, false, true).put("auth", new JsonObject()
            .put("jwksUrl", "http://127.0.0.1:9/.well-known/jwks.json")))) {
      ServiceChecks.assertOperable(service);
    }
  }
}
