package io.shopmesh.events;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Signs access tokens the way the users service does, with the issuer and audience services expect by default. */
public final class TestTokens {

  private final KeyPair pair;
  private final JWTAuth signer;

  public TestTokens(Vertx vertx) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
        .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("RS256").setId("test-key").setBuffer(pem)));
  }

  public JsonArray jwks() {
    RSAPublicKey key = (RSAPublicKey) pair.getPublic();
    return new JsonArray().add(new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256")
        .put("kid", "test-key").put("n", b64(key.getModulus())).put("e", b64(key.getPublicExponent())));
  }

  public String token(String subject, String... roles) {
    long now = Instant.now().getEpochSecond();
    return signer.generateToken(new JsonObject().put("sub", subject).put("iss", "shopmesh-users")
        .put("aud", "shopmesh").put("iat", now).put("exp", now + 300).put("jti", UUID.randomUUID().toString())
        .put("roles", new JsonArray(java.util.List.of((Object[]) roles))),
        new JWTOptions().setAlgorithm("RS256").setNoTimestamp(true));
  }

  private static String b64(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0 && bytes.length > 1) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
