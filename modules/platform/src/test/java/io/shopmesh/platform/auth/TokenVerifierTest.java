package io.shopmesh.platform.auth;

import io.shopmesh.platform.config.AuthConfig;
import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {

  private static final AuthConfig CONFIG = new AuthConfig("shopmesh-users", "shopmesh", Duration.ofSeconds(5), "",
      Duration.ofMinutes(5), Duration.ofSeconds(30), 1000);
  private static Vertx vertx;
  private static TestSigner current;
  private static TestSigner old;
  private static TestSigner stranger;
  private TokenVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    vertx = Vertx.vertx();
    current = new TestSigner(vertx, "k2");
    old = new TestSigner(vertx, "k1");
    stranger = new TestSigner(vertx, "k2");
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @BeforeEach
  void verifier() {
    verifier = new TokenVerifier(vertx, CONFIG);
    verifier.setKeys(new JsonArray().add(current.jwk()).add(old.jwk()));
  }

  private static JsonObject claims() {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", "shopmesh-users").put("aud", "shopmesh").put("sub", "user-1")
        .put("roles", new JsonArray().add("customer")).put("jti", "j1").put("iat", now).put("exp", now + 600);
  }

  @Test
  @DisplayName("a token signed by a published key is accepted, with its subject and roles")
  void valid() {
    Identity id = verifier.verify(current.sign(claims())).await();
    assertThat(id.userId()).isEqualTo("user-1");
    assertThat(id.roles()).containsExactly("customer");
    assertThat(verifier.verify(old.sign(claims())).await().tokenId()).isEqualTo("j1");
  }

  @Test
  @DisplayName("every malformed, forged or out-of-policy token is refused with 401")
  void refusals() throws Exception {
    long now = Instant.now().getEpochSecond();
    String good = current.sign(claims());
    String[] parts = good.split("\\.");
    assertRefused("no exp", current.sign(claims().copy().put("exp", (Object) null)));
    assertRefused("expired", current.sign(claims().put("exp", now - 60)));
    assertRefused("wrong iss", current.sign(claims().put("iss", "evil")));
    assertRefused("wrong aud", current.sign(claims().put("aud", "other")));
    assertRefused("future nbf", current.sign(claims().put("nbf", now + 600)));
    assertRefused("unknown kid", new TestSigner(vertx, "k9").sign(claims()));
    assertRefused("same kid, other key", stranger.sign(claims()));
    assertRefused("alg none", header("{\"alg\":\"none\",\"kid\":\"k2\"}") + "." + parts[1] + ".");
    assertRefused("HS256 with the public key", hs256WithPublicKey(parts[1]));
    assertRefused("embedded jwk", header("{\"alg\":\"RS256\",\"kid\":\"k2\",\"jwk\":" + stranger.jwk().encode() + "}")
        + "." + parts[1] + "." + parts[2]);
    assertRefused("jku", header("{\"alg\":\"RS256\",\"kid\":\"k2\",\"jku\":\"http://evil/jwks\"}") + "." + parts[1]
        + "." + parts[2]);
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims().put("roles", new JsonArray().add("admin")).encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertRefused("tampered payload", tampered);
    assertRefused("garbage", "not-a-token");
  }

  @Test
  @DisplayName("a cached token is refused once its key leaves the key set, and an unknown kid asks for a refresh")
  void rotation() {
    String byOld = old.sign(claims());
    assertThat(verifier.verify(byOld).await().userId()).isEqualTo("user-1");
    AtomicInteger refreshRequests = new AtomicInteger();
    verifier.onUnknownKey(refreshRequests::incrementAndGet);
    verifier.setKeys(new JsonArray().add(current.jwk()));
    assertRefused("removed key", byOld);
    assertThat(refreshRequests).hasValue(1);
    assertThat(verifier.verify(current.sign(claims())).await().userId()).isEqualTo("user-1");
  }

  @Test
  @DisplayName("a refused token stays refused on the second try (no cache of failures, no leak of successes)")
  void cacheDoesNotWhitewash() {
    String forged = stranger.sign(claims());
    assertRefused("first", forged);
    assertRefused("second", forged);
  }

  private void assertRefused(String why, String token) {
    assertThatThrownBy(() -> verifier.verify(token).await()).as(why)
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  private static String header(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String hs256WithPublicKey(String payload) throws Exception {
    String signingInput = header("{\"alg\":\"HS256\",\"kid\":\"k2\"}") + "." + payload;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(TestSigner.pem("PUBLIC KEY", current.pair.getPublic().getEncoded())
        .getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }
}
