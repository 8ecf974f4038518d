package io.shopmesh.users.tokens;

import io.shopmesh.platform.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Signs access tokens with the active key: header {@code alg} and {@code kid}; claims {@code iss},
 * {@code aud}, {@code sub} (the user id), {@code roles}, {@code jti}, {@code iat}, {@code exp}.
 * Signing is done on the {@code token-signing} worker pool, never on an event loop: an RS256
 * signature costs about 0.7 ms of CPU on a quiet machine and several on a busy one, once per login
 * or refresh, which during a login burst would otherwise stall every request of that event loop
 * (health checks included).
 */
public final class AccessTokens {

  /** Threads of the {@code token-signing} pool: one, as Vert.x's signer serialises signatures per key anyway. */
  private static final int SIGNING_THREADS = 1;

  private final JWTAuth signer;
  private final JWTOptions options;
  private final Duration ttl;
  private final WorkerExecutor signing;

  public AccessTokens(Vertx vertx, SigningKey key, AuthConfig auth, Duration ttl) {
    this.signing = vertx.createSharedWorkerExecutor("token-signing", SIGNING_THREADS);
    byte[] pkcs8 = key.privateKey().orElseThrow(() -> new IllegalArgumentException(key + " cannot sign")).getEncoded();
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm(key.alg()).setId(key.kid()).setBuffer(pem)));
    this.options = new JWTOptions()
        .setAlgorithm(key.alg())
        .setIssuer(auth.issuer())
        .setAudience(List.of(auth.audience()))
        .setExpiresInSeconds((int) ttl.toSeconds());
    this.ttl = ttl;
  }

  /** A signed token for {@code userId} carrying {@code roles}, signed off the event loop. */
  public Future<String> issue(UUID userId, List<String> roles) {
    JsonObject claims = new JsonObject()
        .put("sub", userId.toString())
        .put("roles", new JsonArray(roles))
        .put("jti", UUID.randomUUID().toString());
    return signing.executeBlocking(() -> signer.generateToken(claims, options), false);
  }

  /** Seconds a new token lives ({@code expiresIn} of the token response). */
  public long ttlSeconds() {
    return ttl.toSeconds();
  }
}
