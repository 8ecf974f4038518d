package io.shopmesh.inventory;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RouteProbes;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Object-level authorisation on every route of the inventory router that names a resource
 * (derived from the route table, so a new route is covered by itself): products are public to
 * read, but no customer may change one or see an import, whatever identity headers it adds.
 */
@ExtendWith(InfraExtension.class)
class InventoryRouteAccessTest {

  private static InventoryFixture inventory;

  @BeforeAll
  static void start(TestEnv env) {
    inventory = InventoryFixture.start(env);
  }

  @AfterAll
  static void stop() {
    inventory.close();
  }

  @Test
  @DisplayName("on every route with an id, a customer claiming the admin role in headers gets 403 or 404 (reads of"
      + " the public catalog excepted), and the product does not change")
  void everyRouteWithAnId() {
    inventory.create("ACCESS-1", "Guarded", 700, "EUR", 5);
    String before = product();
    List<RouteProbes.Probe> probes = RouteProbes.withParameters(inventory.service().context().routes(), "ACCESS-1");

    assertThat(probes).extracting(RouteProbes.Probe::route)
        .contains("/api/products/:sku", "/api/products/:sku/restock", "/api/imports/:id");
    for (RouteProbes.Probe probe : probes) {
      HttpRequest<Buffer> request = inventory.request(probe.method(), probe.path())
          .bearerTokenAuthentication(inventory.customerToken())
          .putHeader("X-User-Id", "admin-1").putHeader("X-Roles", "admin").putHeader("X-Forwarded-User", "admin-1");
      HttpResponse<Buffer> response = request.sendJsonObject(new JsonObject().put("quantity", 1_000)
          .put("name", "stolen").put("priceCents", 0).put("currency", "EUR")).await();
      boolean publicRead = probe.method() == HttpMethod.GET && probe.route().startsWith("/api/products/");
      if (publicRead) {
        assertThat(response.statusCode()).as(probe.toString()).isEqualTo(200);
      } else {
        assertThat(response.statusCode()).as("%s as a customer: %s", probe, response.bodyAsString()).isIn(403, 404);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      }
    }
    assertThat(product()).as("the product after every probe").isEqualTo(before);
  }

  private static String product() {
    return inventory.get("/api/products/ACCESS-1").bodyAsString();
  }
}
