package io.shopmesh.platform.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.shopmesh.platform.config.AuthConfig;
import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies access tokens against the users service's published keys (JWKS), for the gateway and
 * for every service's own zero-trust check.
 *
 * <p>Stricter than the JWT library alone: the algorithm is pinned by the key named in {@code kid}
 * (never taken from the token), only RS256/ES256 exist, {@code exp} is required, {@code iss} and
 * {@code aud} must match, and tokens carrying their own key material ({@code jwk}, {@code jku},
 * {@code x5u}, {@code x5c}) or {@code crit} are refused. Verified tokens are remembered by their
 * SHA-256 digest until they expire (or their key leaves the set), so a client reusing its token
 * costs a hash and a lookup instead of a signature check.
 */
public final class TokenVerifier {

  private static final Map<String, String> KEY_TYPE_BY_ALG = Map.of("RS256", "RSA", "ES256", "EC");
  private static final Set<String> FORBIDDEN_HEADERS = Set.of("jwk", "jku", "x5u", "x5c", "crit");
  /** One digest per thread (the event loops), instead of a provider look-up and a new digest per request. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(TokenVerifier::sha256);

  private final Vertx vertx;
  private final AuthConfig config;
  private final Cache<ByteBuffer, Verified> verified;
  private volatile KeySet keys = new KeySet(Map.of(), null);
  private volatile Runnable onUnknownKey = () -> { };

  public TokenVerifier(Vertx vertx, AuthConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.verified = Caffeine.newBuilder()
        .maximumSize(config.cacheSize())
        .expireAfter(Expiry.<ByteBuffer, Verified>creating((digest, v) ->
            java.time.Duration.between(Instant.now(), v.identity().expiresAt()).plus(config.leeway())))
        .build();
  }

  /** Called when a token names a key this verifier does not know (the JWKS may have rotated). */
  public void onUnknownKey(Runnable listener) {
    this.onUnknownKey = listener;
  }

  /** Replaces the trusted keys with a JWK set; tokens verified with a key that left are forgotten. */
  public void setKeys(JsonArray jwks) {
    Map<String, String> algByKid = new HashMap<>();
    List<JsonObject> usable = jwks.stream()
        .filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
        .filter(jwk -> jwk.getString("kid") != null && KEY_TYPE_BY_ALG.containsKey(jwk.getString("alg"))
            && KEY_TYPE_BY_ALG.get(jwk.getString("alg")).equals(jwk.getString("kty"))
            && (jwk.getString("use") == null || "sig".equals(jwk.getString("use"))))
        .peek(jwk -> algByKid.put(jwk.getString("kid"), jwk.getString("alg")))
        .toList();
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions().setJwks(usable).setJWTOptions(new JWTOptions()
        .setIssuer(config.issuer())
        .setAudience(List.of(config.audience()))
        .setLeeway((int) config.leeway().toSeconds())));
    keys = new KeySet(Map.copyOf(algByKid), auth);
    verified.asMap().values().removeIf(v -> !algByKid.containsKey(v.kid()));
  }

  /** The key ids currently trusted. */
  public Set<String> keyIds() {
    return keys.algByKid().keySet();
  }

  /** The identity proven by {@code token}, or a 401 problem saying why not. */
  public Future<Identity> verify(String token) {
    ByteBuffer digest = digest(token);
    Verified hit = verified.getIfPresent(digest);
    if (hit != null) {
      return Future.succeededFuture(hit.identity());
    }
    KeySet current = keys;
    String kid;
    try {
      kid = checkHeader(token, current);
    } catch (ProblemException e) {
      return Future.failedFuture(e);
    }
    Future<io.vertx.ext.auth.User> authenticated;
    try {
      authenticated = current.auth().authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // the library throws instead of failing for some malformed claims (e.g. no exp)
      return Future.failedFuture(invalid("malformed claims"));
    }
    return authenticated
        .recover(e -> Future.failedFuture(invalid(e.getMessage())))
        .compose(user -> {
          Identity identity;
          try {
            identity = identity(user.attributes().getJsonObject("accessToken", new JsonObject()));
          } catch (ProblemException e) {
            return Future.failedFuture(e);
          }
          verified.put(digest, new Verified(identity, kid));
          // the key set may have changed meanwhile (another event loop read the JWKS): put first, then look,
          // so that either this sees the new set or the new set's purge (after it is published) sees the entry
          if (keys != current && !keys.algByKid().containsKey(kid)) {
            verified.invalidate(digest);
            return Future.failedFuture(invalid("its signing key is no longer trusted"));
          }
          return Future.succeededFuture(identity);
        });
  }

  private String checkHeader(String token, KeySet current) {
    int dot = token.indexOf('.');
    if (dot <= 0 || token.indexOf('.', dot + 1) < 0) {
      throw invalid("not a signed JWT");
    }
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
          StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw invalid("unreadable header");
    }
    for (String name : FORBIDDEN_HEADERS) {
      if (header.containsKey(name)) {
        throw invalid("header parameter '" + name + "' is not accepted");
      }
    }
    String kid = header.getValue("kid") instanceof String s ? s : null;
    String alg = header.getValue("alg") instanceof String s ? s : null;
    if (kid == null) {
      throw invalid("no key id");
    }
    String pinned = current.algByKid().get(kid);
    if (pinned == null) {
      onUnknownKey.run();
      throw invalid("unknown signing key");
    }
    if (!pinned.equals(alg)) {
      throw invalid("algorithm does not match the signing key");
    }
    return kid;
  }

  private static Identity identity(JsonObject claims) {
    if (!(claims.getValue("exp") instanceof Number exp)) {
      throw invalid("no expiry");
    }
    if (!(claims.getValue("sub") instanceof String sub) || sub.isBlank()) {
      throw invalid("no subject");
    }
    Set<String> roles = new HashSet<>();
    if (claims.getValue("roles") instanceof JsonArray array) {
      array.forEach(role -> {
        if (role instanceof String r) {
          roles.add(r);
        }
      });
    }
    return new Identity(sub, roles, claims.getString("jti"), Instant.ofEpochSecond(exp.longValue()));
  }

  private static ProblemException invalid(String reason) {
    return ProblemException.unauthorized("the access token is not valid: " + reason);
  }

  private static ByteBuffer digest(String token) {
    return ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.US_ASCII)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private record KeySet(Map<String, String> algByKid, JWTAuth auth) {
  }

  private record Verified(Identity identity, String kid) {
  }
}
