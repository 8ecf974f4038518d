package io.shopmesh.orders;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RouteProbes;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.shopmesh.orders.OrdersFixture.newUser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken object-level authorisation, probed on every route of the orders router that names a
 * resource (derived from the route table, so a new route is covered by itself): another customer
 * never gets a 2xx, whatever identity headers it adds, and the owner's order does not change.
 */
@ExtendWith(InfraExtension.class)
class OrderRouteAccessTest {

  private static OrdersFixture orders;

  @BeforeAll
  static void start(TestEnv env) {
    orders = OrdersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    orders.close();
  }

  @Test
  @DisplayName("on every route with an id, another customer gets 403 or 404, never a 2xx, even when claiming the"
      + " owner's identity or the admin role in headers; the order is unchanged")
  void everyRouteWithAnId() {
    String aliceId = newUser();
    String alice = orders.token(aliceId);
    String mallory = orders.token(newUser());
    String id = orders.placed(alice, "SKU-A", 1);
    List<RouteProbes.Probe> probes = RouteProbes.withParameters(orders.service().context().routes(), id);

    assertThat(probes).extracting(RouteProbes.Probe::route).contains("/api/orders/:id", "/api/orders/:id/cancel");
    for (RouteProbes.Probe probe : probes) {
      HttpRequest<Buffer> request = orders.request(probe.method(), probe.path(), mallory)
          .putHeader("X-User-Id", aliceId).putHeader("X-Roles", "admin").putHeader("X-Forwarded-User", aliceId)
          .putHeader("X-Shopmesh-User", aliceId).putHeader("Remote-User", aliceId);
      HttpResponse<Buffer> response = probe.method() == HttpMethod.GET ? request.send().await()
          : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}")).await();
      assertThat(response.statusCode()).as("%s as another customer: %s", probe, response.bodyAsString())
          .isIn(403, 404);
      assertThat(response.getHeader("Content-Type")).as(probe.toString()).isEqualTo("application/problem+json");
    }
    assertThat(orders.order(alice, id).getString("status")).isEqualTo("PENDING");
    assertThat(orders.outboxTypes(id)).containsExactly("OrderPlaced");
  }

  @Test
  @DisplayName("identity headers without a token get 401 on every route with an id")
  void headersAreNoToken() {
    String aliceId = newUser();
    String id = orders.placed(orders.token(aliceId), "SKU-A", 1);

    for (RouteProbes.Probe probe : RouteProbes.withParameters(orders.service().context().routes(), id)) {
      HttpResponse<Buffer> response = orders.request(probe.method(), probe.path(), null)
          .putHeader("X-User-Id", aliceId).putHeader("X-Roles", "admin").send().await();
      assertThat(response.statusCode()).as(probe.toString()).isEqualTo(401);
    }
  }
}
