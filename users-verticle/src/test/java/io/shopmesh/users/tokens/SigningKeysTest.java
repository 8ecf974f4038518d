package io.shopmesh.users.tokens;

import io.shopmesh.platform.config.ConfigException;
import io.shopmesh.users.TestKeys;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysTest {

  private static Path dir() {
    return TestKeys.newDir();
  }

  @Test
  @DisplayName("an RSA key signs RS256, an EC P-256 key ES256, a .pub.pem key is published but never signs")
  void readsKeyTypes() {
    Path dir = dir();
    KeyPair rsa = TestKeys.rsa(dir, "2026-01");
    KeyPair ec = TestKeys.ec(dir, "2026-02");
    KeyPair retired = TestKeys.generate("RSA", 2048);
    TestKeys.writePublic(dir, "2025-12", retired);
    TestKeys.write(dir.resolve("README.txt"), "not a key");

    SigningKeys keys = SigningKeys.load(dir, Optional.of("2026-02"));
    assertThat(keys.active().kid()).isEqualTo("2026-02");
    assertThat(keys.active().alg()).isEqualTo("ES256");
    assertThat(keys.all()).extracting(SigningKey::kid).containsExactly("2025-12", "2026-01", "2026-02");
    assertThat(keys.all()).extracting(SigningKey::canSign).containsExactly(false, true, true);
    assertThat(keys.all().get(1).alg()).isEqualTo("RS256");
    assertThat(keys.all().get(1).publicKey()).isEqualTo(rsa.getPublic());
    assertThat(keys.all().get(2).publicKey()).as("EC public key derived from the private one").isEqualTo(ec.getPublic());
    assertThat(keys.all().get(0).publicKey()).isEqualTo(retired.getPublic());
    assertThat(keys.toString() + keys.all()).doesNotContain("private exponent", "modulus");
  }

  @Test
  @DisplayName("the JWK set lists every key, signing key first, with kty, kid, alg, use=sig and the public numbers only")
  void jwks() {
    Path dir = dir();
    KeyPair rsa = TestKeys.rsa(dir, "r");
    KeyPair ec = TestKeys.ec(dir, "e");
    JsonObject jwks = SigningKeys.load(dir, Optional.of("r")).jwks();
    JsonObject first = jwks.getJsonArray("keys").getJsonObject(0);
    JsonObject second = jwks.getJsonArray("keys").getJsonObject(1);
    RSAPublicKey rsaPublic = (RSAPublicKey) rsa.getPublic();
    assertThat(first.getMap()).containsEntry("kty", "RSA").containsEntry("kid", "r").containsEntry("alg", "RS256")
        .containsEntry("use", "sig").containsEntry("e", "AQAB").doesNotContainKeys("d", "p", "q");
    assertThat(new BigInteger(1, Base64.getUrlDecoder().decode(first.getString("n"))))
        .isEqualTo(rsaPublic.getModulus());
    ECPublicKey ecPublic = (ECPublicKey) ec.getPublic();
    assertThat(second.getMap()).containsEntry("kty", "EC").containsEntry("crv", "P-256").containsEntry("alg", "ES256")
        .doesNotContainKey("d");
    assertThat(Base64.getUrlDecoder().decode(second.getString("x"))).hasSize(32);
    assertThat(new BigInteger(1, Base64.getUrlDecoder().decode(second.getString("y"))))
        .isEqualTo(ecPublic.getW().getAffineY());
  }

  @Test
  @DisplayName("every unusable key directory is a config error that names the file or key")
  void errors() {
    assertThatThrownBy(() -> SigningKeys.load(Path.of("/no/such/dir"), Optional.empty()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("is not a directory");

    Path onlyPublic = dir();
    TestKeys.writePublic(onlyPublic, "old", TestKeys.generate("RSA", 2048));
    assertThatThrownBy(() -> SigningKeys.load(onlyPublic, Optional.empty()))
        .hasMessageContaining("holds no private key");

    Path two = dir();
    TestKeys.rsa(two, "a");
    TestKeys.rsa(two, "b");
    assertThatThrownBy(() -> SigningKeys.load(two, Optional.empty()))
        .hasMessageContaining("'jwt.activeKid' is required").hasMessageContaining("a, b");
    assertThatThrownBy(() -> SigningKeys.load(two, Optional.of("c")))
        .hasMessageContaining("no private key c.pem");

    Path weak = dir();
    TestKeys.writePrivate(weak, "small", TestKeys.generate("RSA", 1024));
    assertThatThrownBy(() -> SigningKeys.load(weak, Optional.empty()))
        .hasMessageContaining("RSA keys need at least 2048 bits");

    Path p384 = dir();
    TestKeys.writePrivate(p384, "p384", TestKeys.generate("EC", 384));
    assertThatThrownBy(() -> SigningKeys.load(p384, Optional.empty()))
        .hasMessageContaining("only RSA (RS256) and EC P-256 (ES256) keys are supported");

    Path pkcs1 = dir();
    TestKeys.write(pkcs1.resolve("legacy.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> SigningKeys.load(pkcs1, Optional.empty()))
        .hasMessageContaining("legacy.pem").hasMessageContaining("openssl pkcs8 -topk8");

    Path twice = dir();
    KeyPair pair = TestKeys.rsa(twice, "dup");
    TestKeys.writePublic(twice, "dup", pair);
    assertThatThrownBy(() -> SigningKeys.load(twice, Optional.empty()))
        .hasMessageContaining("key id 'dup' appears twice");
  }
}
