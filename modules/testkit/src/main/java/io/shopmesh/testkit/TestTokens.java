package io.shopmesh.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * An RSA signing key for tests that need access tokens without the users service (which lives in
 * its own module): signs tokens the way users does (RS256, kid, iss, aud, sub, roles, jti, exp)
 * and publishes the matching JWK.
 */
public final class TestTokens {

  public static final String ISSUER = "shopmesh-users";
  public static final String AUDIENCE = "shopmesh";

  private final String kid;
  private final KeyPair pair;
  private final JWTAuth signer;

  public TestTokens(Vertx vertx, String kid) {
    this.kid = kid;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("RS256").setId(kid).setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))));
  }

  public String kid() {
    return kid;
  }

  /** The public key as a JWK. */
  public JsonObject jwk() {
    RSAPublicKey key = (RSAPublicKey) pair.getPublic();
    return new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", kid)
        .put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
  }

  /** {@code {"keys": [jwk]}}. */
  public JsonObject jwks() {
    return new JsonObject().put("keys", new JsonArray().add(jwk()));
  }

  /** A valid access token for {@code userId} with {@code roles}, expiring in ten minutes. */
  public String token(String userId, String... roles) {
    return sign(claims(userId, roles));
  }

  /** Standard claims, to alter before {@link #sign}. */
  public JsonObject claims(String userId, String... roles) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE).put("sub", userId)
        .put("roles", new JsonArray(java.util.List.of((Object[]) roles))).put("jti", UUID.randomUUID().toString())
        .put("iat", now).put("exp", now + 600);
  }

  public String sign(JsonObject claims) {
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("RS256").setNoTimestamp(true));
  }

  /** PKCS#8 / SPKI bytes as PEM text. */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** The public key as SPKI PEM (e.g. to forge an HS256 token keyed with it). */
  public String publicKeyPem() {
    return pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
  }
}
