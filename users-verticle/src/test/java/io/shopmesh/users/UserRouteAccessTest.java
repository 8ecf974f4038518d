package io.shopmesh.users;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.RouteProbes;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Object-level authorisation on every route of the users router that names a resource (derived from
 * the route table, so a new route is covered by itself): another customer gets nothing, whatever
 * identity headers it adds.
 */
@ExtendWith(InfraExtension.class)
class UserRouteAccessTest {

  private static UsersFixture users;

  @BeforeAll
  static void start(TestEnv env) {
    users = UsersFixture.start(env);
  }

  @AfterAll
  static void stop() {
    users.close();
  }

  @Test
  @DisplayName("on every route with an id, another customer gets 403 or 404, never a 2xx, even when claiming the"
      + " owner's identity or the admin role in headers")
  void everyRouteWithAnId() {
    String aliceId = users.register(UsersFixture.email("alice")).getString("id");
    String mallory = users.accessToken(users.register(UsersFixture.email("mallory")).getString("email"));
    List<RouteProbes.Probe> probes = RouteProbes.withParameters(users.service().context().routes(), aliceId);

    assertThat(probes).extracting(RouteProbes.Probe::route).contains("/api/users/:id");
    for (RouteProbes.Probe probe : probes) {
      HttpResponse<Buffer> response = users.request(probe.method(), probe.path()).bearerTokenAuthentication(mallory)
          .putHeader("X-User-Id", aliceId).putHeader("X-Roles", "admin").putHeader("X-Forwarded-User", aliceId)
          .sendJsonObject(new JsonObject().put("name", "stolen")).await();
      assertThat(response.statusCode()).as("%s as another customer: %s", probe, response.bodyAsString())
          .isIn(403, 404, 405);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }
  }
}
