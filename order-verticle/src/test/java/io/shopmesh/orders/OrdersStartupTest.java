package io.shopmesh.orders;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RunningService;
import io.shopmesh.testkit.ServiceChecks;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(InfraExtension.class)
class OrdersStartupTest {

  @Test
  @DisplayName("the orders service starts against real infrastructure and is live, ready and measured")
  void startsReady(TestEnv env) {
    try (OrdersFixture orders = OrdersFixture.start(env)) {
      ServiceChecks.assertOperable(orders.service());
      assertThat(orders.service().client().get("/health/ready").send().await().bodyAsString())
          .contains("signing-keys");
    }
  }

  @Test
  @DisplayName("without the users service's signing keys orders starts, is live, and is not ready (it would refuse every token)")
  void notReadyWithoutSigningKeys(TestEnv env) {
    try (RunningService service = RunningService.start("orders", OrdersMain::start,
        env.settings("orders", true, false, true).put("auth", new JsonObject()
            .put("jwksUrl", "http://127.0.0.1:9/.well-known/jwks.json")))) {
      assertThat(service.client().get("/health/live").send().await().statusCode()).isEqualTo(200);
      HttpResponse<Buffer> ready = service.client().get("/health/ready").send().await();
      assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(503);
      assertThat(ready.bodyAsString()).contains("signing-keys").contains("not loaded yet");
    }
  }
}
