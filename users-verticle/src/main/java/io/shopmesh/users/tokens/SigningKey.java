package io.shopmesh.users.tokens;

import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Optional;

/**
 * One key of the signing key set: its id, the algorithm its type implies, its public half and,
 * for a key that may sign, its private half. The string form names the key, never its material.
 */
public record SigningKey(String kid, String alg, PublicKey publicKey, Optional<PrivateKey> privateKey) {

  public boolean canSign() {
    return privateKey.isPresent();
  }

  /** The public key as a JWK (RFC 7517/7518) with {@code kid}, {@code alg} and {@code use=sig}. */
  public JsonObject jwk() {
    JsonObject jwk = new JsonObject();
    if (publicKey instanceof RSAPublicKey rsa) {
      jwk.put("kty", "RSA").put("n", unsigned(rsa.getModulus(), 0)).put("e", unsigned(rsa.getPublicExponent(), 0));
    } else if (publicKey instanceof ECPublicKey ec) {
      jwk.put("kty", "EC").put("crv", "P-256")
          .put("x", unsigned(ec.getW().getAffineX(), 32)).put("y", unsigned(ec.getW().getAffineY(), 32));
    }
    return jwk.put("kid", kid).put("alg", alg).put("use", "sig");
  }

  /** Big-endian magnitude without a sign byte, left-padded to {@code length} bytes when given. */
  private static String unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    int size = Math.max(bytes.length - start, length);
    byte[] out = new byte[size];
    System.arraycopy(bytes, start, out, size - (bytes.length - start), bytes.length - start);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  @Override
  public String toString() {
    return "SigningKey[kid=" + kid + ", alg=" + alg + (canSign() ? ", private" : ", public only") + "]";
  }
}
