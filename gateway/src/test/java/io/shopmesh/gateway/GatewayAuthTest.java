package io.shopmesh.gateway;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.shopmesh.testkit.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAuthTest {

  private GatewayFixture mesh;

  @BeforeAll
  void start(TestEnv env) {
    mesh = new GatewayFixture(env, new JsonObject());
    String token = mesh.tokens.token("user-1", "customer");
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/orders", token).statusCode() == 200);
  }

  @AfterAll
  void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("every forged, expired or out-of-policy token is refused with 401, also after a good one was cached")
  void refusals() throws Exception {
    long now = Instant.now().getEpochSecond();
    TestTokens stranger = new TestTokens(mesh.vertx, "k1");
    TestTokens unknown = new TestTokens(mesh.vertx, "k-unknown");
    String good = mesh.tokens.token("user-1", "customer");
    assertThat(get("/api/orders", good).statusCode()).isEqualTo(200);
    String[] parts = good.split("\\.");

    Map<String, String> forged = new LinkedHashMap<>();
    forged.put("no token", null);
    forged.put("alg none", b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + parts[1] + ".");
    forged.put("HS256 keyed with the public key", hs256(parts[1], mesh.tokens.publicKeyPem()));
    forged.put("expired", mesh.tokens.sign(mesh.tokens.claims("user-1", "customer").put("exp", now - 60)));
    forged.put("no exp", mesh.tokens.sign(without(mesh.tokens.claims("user-1", "customer"), "exp")));
    forged.put("wrong iss", mesh.tokens.sign(mesh.tokens.claims("user-1", "customer").put("iss", "evil")));
    forged.put("wrong aud", mesh.tokens.sign(mesh.tokens.claims("user-1", "customer").put("aud", "evil")));
    forged.put("future nbf", mesh.tokens.sign(mesh.tokens.claims("user-1", "customer").put("nbf", now + 600)));
    forged.put("unknown kid", unknown.token("user-1", "customer"));
    forged.put("same kid, other key", stranger.token("user-1", "customer"));
    forged.put("embedded jwk", b64("{\"alg\":\"RS256\",\"kid\":\"k1\",\"jwk\":" + stranger.jwk().encode() + "}")
        + "." + parts[1] + "." + parts[2]);
    forged.put("jku", b64("{\"alg\":\"RS256\",\"kid\":\"k1\",\"jku\":\"http://evil/jwks\"}") + "." + parts[1] + "."
        + parts[2]);
    forged.put("tampered payload", parts[0] + "." + b64(new JsonObject(new String(Base64.getUrlDecoder()
        .decode(parts[1]), StandardCharsets.UTF_8)).put("sub", "someone-else").encode()) + "." + parts[2]);
    int before = mesh.orders.hits();
    forged.forEach((why, token) -> {
      HttpResponse<Buffer> r = get("/api/orders", token);
      assertThat(r.statusCode()).as(why).isEqualTo(401);
      assertThat(r.getHeader("Content-Type")).as(why).isEqualTo("application/problem+json");
    });
    assertThat(mesh.orders.hits()).as("no refused request reached the service").isEqualTo(before);
  }

  @Test
  @DisplayName("a customer on an admin route gets 403; an admin gets through")
  void roles() {
    assertThat(post("/api/products", mesh.tokens.token("user-1", "customer")).statusCode()).isEqualTo(403);
    assertThat(get("/api/users", mesh.tokens.token("user-1", "customer")).statusCode()).isEqualTo(403);
    assertThat(post("/api/products", mesh.tokens.token("admin-1", "admin")).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("public routes need no token: register, login, refresh, key set, reading products")
  void publicRoutes() {
    assertThat(post("/api/auth/register", null).statusCode()).isEqualTo(200);
    assertThat(post("/api/auth/login", null).statusCode()).isEqualTo(200);
    assertThat(post("/api/auth/refresh", null).statusCode()).isEqualTo(200);
    assertThat(get("/.well-known/jwks.json", null).statusCode()).isEqualTo(200);
    assertThat(get("/api/products/SKU-1", null).statusCode()).isEqualTo(200);
    assertThat(post("/api/auth/logout", null).statusCode()).isEqualTo(401);
  }

  private HttpResponse<Buffer> get(String path, String token) {
    var request = mesh.gateway.client().get(path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request.send().await();
  }

  private HttpResponse<Buffer> post(String path, String token) {
    var request = mesh.gateway.client().post(path).putHeader("Content-Type", "application/json");
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request.sendBuffer(Buffer.buffer("{}")).await();
  }

  private static JsonObject without(JsonObject claims, String name) {
    claims.remove(name);
    return claims;
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String hs256(String payload, String key) throws Exception {
    String input = b64("{\"alg\":\"HS256\",\"kid\":\"k1\"}") + "." + payload;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }
}
