package io.shopmesh.platform.auth;

import io.shopmesh.platform.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The key set read over real HTTP from a JWKS endpoint whose content the test controls. */
class JwksClientTest {

  private Vertx vertx;
  private HttpServer server;
  private final AtomicReference<JsonArray> published = new AtomicReference<>(new JsonArray());
  private final AtomicInteger reads = new AtomicInteger();
  private JwksClient client;

  @BeforeEach
  void jwksEndpoint() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> {
      reads.incrementAndGet();
      request.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("keys", published.get()).encode());
    }).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    vertx.close().await();
  }

  @Test
  @DisplayName("a key set read before users had a key is read again as soon as a token arrives, not after the minimum interval")
  void emptyKeySetIsReadAgainOnDemand() throws Exception {
    TestSigner signer = new TestSigner(vertx, "k1");
    // a 10-minute minimum interval and refresh: only the on-demand read can bring the key within the deadline
    TokenVerifier verifier = startedClient();
    assertThat(reads.get()).isEqualTo(1);

    published.set(new JsonArray().add(signer.jwk()));
    String token = signer.sign(claims());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        verifier.verify(token).transform(ar -> Future.succeededFuture(ar.succeeded())).await());
    assertThat(verifier.verify(token).await().userId()).isEqualTo("user-1");
  }

  @Test
  @DisplayName("once keys are known, a flood of tokens with an unknown key reads nothing before the minimum interval")
  void unknownKeysDoNotHammerTheEndpoint() throws Exception {
    TestSigner known = new TestSigner(vertx, "k1");
    TestSigner stranger = new TestSigner(vertx, "k9");
    published.set(new JsonArray().add(known.jwk()));
    TokenVerifier verifier = startedClient();
    String forged = stranger.sign(claims());
    for (int i = 0; i < 200; i++) {
      assertThat(verifier.verify(forged).failed()).isTrue();
    }
    assertThat(verifier.verify(known.sign(claims())).await().userId()).isEqualTo("user-1");
    // the early reads are asynchronous: the count must stay at the start's single read throughout
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> reads.get() == 1);
  }

  @Test
  @DisplayName("once keys are known, a read that brings an empty key set keeps them: tokens are still accepted")
  void emptyReadKeepsKnownKeys() throws Exception {
    TestSigner signer = new TestSigner(vertx, "k1");
    published.set(new JsonArray().add(signer.jwk()));
    TokenVerifier verifier = startedClient(Duration.ofMillis(100));
    String token = signer.sign(claims());
    assertThat(verifier.verify(token).await().userId()).isEqualTo("user-1");

    published.set(new JsonArray());
    int before = reads.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() >= before + 2);
    assertThat(client.loaded()).isTrue();
    assertThat(verifier.verify(token).await().userId()).as("the token, after empty reads").isEqualTo("user-1");
  }

  /** A verifier fed by a client of the test's endpoint, refreshing and re-reading early at most every 10 minutes. */
  private TokenVerifier startedClient() {
    return startedClient(Duration.ofMinutes(10));
  }

  private TokenVerifier startedClient(Duration refresh) {
    AuthConfig config = new AuthConfig("shopmesh-users", "shopmesh", Duration.ofSeconds(5),
        "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json", refresh,
        Duration.ofMinutes(10), 100);
    TokenVerifier verifier = new TokenVerifier(vertx, config);
    client = JwksClient.overHttp(vertx, verifier, config);
    client.start().await();
    return verifier;
  }

  private static JsonObject claims() {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", "shopmesh-users").put("aud", "shopmesh").put("sub", "user-1")
        .put("roles", new JsonArray().add("customer")).put("jti", "j1").put("iat", now).put("exp", now + 600);
  }
}
