package io.shopmesh.gateway;

import io.shopmesh.testkit.HostileInput;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of what the gateway itself reads from a request: hostile paths and query strings
 * are refused with a 4xx problem document or forwarded as they are, never a 5xx of the gateway's
 * own; identity headers a client makes up, in any spelling, never reach a service.
 */
class GatewayHostileInputTest {

  private static final List<String> IDENTITY_HEADERS = List.of("X-User-Id", "X-User", "X-Roles", "X-Auth-User",
      "X-Identity", "X-Remote-User", "X-Forwarded-User", "Remote-User", "X-Shopmesh-User", "X-Client-Id",
      "X-Consumer-Id", "X-Forwarded-For", "X-Real-IP", "Forwarded", "X-Forwarded-Host");

  private static TestEnv env;
  private static GatewayFixture mesh;
  private static String customer;

  @BeforeContainer
  static void start() {
    env = TestEnv.standalone();
    mesh = new GatewayFixture(env, new JsonObject());
    customer = mesh.tokens.token("user-1", "customer");
  }

  @AfterContainer
  static void stop() {
    mesh.close();
    env.close();
  }

  @Property(tries = 100)
  @Label("a hostile path segment or query value is forwarded or refused with a 4xx problem, never a 5xx")
  void hostileTargets(@ForAll("values") String segment, @ForAll("values") String query,
                      @ForAll("prefixes") String prefix) {
    String target = prefix + HostileInput.urlValue(segment) + "?q=" + HostileInput.urlValue(query);
    HttpResponse<Buffer> response = mesh.gateway.client().request(HttpMethod.GET, target)
        .bearerTokenAuthentication(customer).send().await();

    assertThat(response.statusCode()).as(target).isLessThan(500);
    if (response.statusCode() >= 400) {
      assertThat(response.getHeader("Content-Type")).as(target).isEqualTo("application/problem+json");
    }
  }

  @Provide
  Arbitrary<String> values() {
    return HostileInput.queryValues();
  }

  @Provide
  Arbitrary<String> prefixes() {
    return Arbitraries.of("/api/products/", "/api/orders/", "/api/users/", "/api/orders/x/details/", "/");
  }

  @Property(tries = 60)
  @Label("identity and forwarding headers a client makes up never reach the service, in any spelling")
  void spoofedIdentity(@ForAll("identityHeaders") String name, @ForAll("headerValues") String value) {
    HttpResponse<Buffer> response = mesh.gateway.client().get("/api/products/SPOOF").putHeader(name, value).send()
        .await();

    JsonObject forwarded = response.bodyAsJsonObject().getJsonObject("headers");
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("x-forwarded-for")) {
      assertThat(forwarded.getString(lower)).as("set by the gateway").isEqualTo("127.0.0.1");
    } else {
      assertThat(forwarded.fieldNames()).as(name + ": " + value).doesNotContain(lower);
    }
  }

  @Provide
  Arbitrary<String> identityHeaders() {
    return Arbitraries.of(IDENTITY_HEADERS).flatMap(name -> Arbitraries.of(name, name.toUpperCase(Locale.ROOT),
        name.toLowerCase(Locale.ROOT)));
  }

  @Provide
  Arbitrary<String> headerValues() {
    return Arbitraries.oneOf(Arbitraries.of("admin", "user-2", "1", "127.0.0.1", "for=6.6.6.6"),
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(60));
  }
}
