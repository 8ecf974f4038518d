package io.shopmesh.users.tokens;

import io.shopmesh.platform.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The service's signing keys, read once at start from {@code jwt.keysDir}: {@code <kid>.pem}
 * (PKCS#8 private key, may sign) and {@code <kid>.pub.pem} (SPKI public key, published only).
 * RSA keys sign RS256, EC P-256 keys ES256. Exactly one private key signs: the only one, or the one
 * named by {@code jwt.activeKid}. Every problem is a {@link ConfigException} naming the file.
 */
public final class SigningKeys {

  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  private static final Pattern FILE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,63}?)(\\.pub)?\\.pem");
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----\\s*");

  private final List<SigningKey> keys;
  private final SigningKey active;

  SigningKeys(List<SigningKey> keys, SigningKey active) {
    this.keys = List.copyOf(keys);
    this.active = active;
  }

  /** Reads {@code dir}; blocking file I/O, so call it on a worker thread or before Vert.x serves. */
  public static SigningKeys load(Path dir, Optional<String> activeKid) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("config key 'jwt.keysDir': " + dir + " is not a directory");
    }
    List<SigningKey> keys = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
        Matcher name = FILE.matcher(file.getFileName().toString());
        if (name.matches() && Files.isRegularFile(file)) {
          SigningKey key = read(file, name.group(1), name.group(2) != null);
          if (keys.stream().anyMatch(k -> k.kid().equals(key.kid()))) {
            throw new ConfigException("jwt.keysDir " + dir + ": key id '" + key.kid()
                + "' appears twice (as .pem and .pub.pem); keep one");
          }
          keys.add(key);
        }
      }
    } catch (IOException e) {
      throw new ConfigException("config key 'jwt.keysDir': cannot read " + dir + ": " + e.getMessage());
    }
    return new SigningKeys(keys, chooseActive(dir, keys, activeKid));
  }

  private static SigningKey chooseActive(Path dir, List<SigningKey> keys, Optional<String> activeKid) {
    List<SigningKey> signers = keys.stream().filter(SigningKey::canSign).toList();
    if (activeKid.isPresent()) {
      return signers.stream().filter(k -> k.kid().equals(activeKid.get())).findFirst()
          .orElseThrow(() -> new ConfigException("config key 'jwt.activeKid': no private key " + activeKid.get()
              + ".pem in " + dir));
    }
    if (signers.size() == 1) {
      return signers.get(0);
    }
    if (signers.isEmpty()) {
      throw new ConfigException("config key 'jwt.keysDir': " + dir + " holds no private key <kid>.pem to sign with");
    }
    throw new ConfigException("config key 'jwt.activeKid' is required: " + dir + " holds several private keys ("
        + String.join(", ", signers.stream().map(SigningKey::kid).toList()) + "); name the one that signs");
  }

  private static SigningKey read(Path file, String kid, boolean publicOnly) {
    byte[] der = der(file, publicOnly ? "PUBLIC KEY" : "PRIVATE KEY");
    try {
      if (publicOnly) {
        PublicKey key = parse(der, false, file);
        return new SigningKey(kid, algorithm(key, file), key, Optional.empty());
      }
      warnIfReadableByOthers(file);
      PrivateKey key = parse(der, true, file);
      return new SigningKey(kid, algorithm(key, file), publicOf(key), Optional.of(key));
    } catch (GeneralSecurityException e) {
      throw new ConfigException("jwt key " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static byte[] der(Path file, String expectedLabel) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException | UncheckedIOException e) {
      throw new ConfigException("jwt key " + file + " cannot be read: " + e.getMessage());
    }
    Matcher pem = PEM.matcher(text);
    if (!pem.matches() || !pem.group(1).equals(expectedLabel)) {
      throw new ConfigException("jwt key " + file + ": expected one PEM block '-----BEGIN " + expectedLabel
          + "-----'" + (expectedLabel.equals("PRIVATE KEY")
          ? " (PKCS#8; convert with: openssl pkcs8 -topk8 -nocrypt -in old.pem -out " + file.getFileName() + ")"
          : " (SPKI; extract with: openssl pkey -pubout -in private.pem)"));
    }
    return Base64.getMimeDecoder().decode(pem.group(2));
  }

  private static <K> K parse(byte[] der, boolean isPrivate, Path file) throws GeneralSecurityException {
    for (String type : List.of("RSA", "EC")) {
      try {
        KeyFactory factory = KeyFactory.getInstance(type);
        @SuppressWarnings("unchecked")
        K key = (K) (isPrivate ? factory.generatePrivate(new PKCS8EncodedKeySpec(der))
            : factory.generatePublic(new X509EncodedKeySpec(der)));
        return key;
      } catch (GeneralSecurityException | ClassCastException e) {
        // try the next key type
      }
    }
    throw new ConfigException("jwt key " + file + " is neither an RSA nor an EC key");
  }

  private static String algorithm(Key key, Path file) {
    if (key instanceof RSAKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new ConfigException("jwt key " + file + ": RSA keys need at least 2048 bits, this one has "
            + rsa.getModulus().bitLength());
      }
      return "RS256";
    }
    if (key instanceof ECKey ec && isP256(ec.getParams())) {
      return "ES256";
    }
    throw new ConfigException("jwt key " + file + ": only RSA (RS256) and EC P-256 (ES256) keys are supported");
  }

  private static boolean isP256(ECParameterSpec params) {
    ECParameterSpec p256 = p256();
    return params.getOrder().equals(p256.getOrder()) && params.getGenerator().equals(p256.getGenerator())
        && params.getCurve().equals(p256.getCurve());
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK supports P-256", e);
    }
  }

  private static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
    if (key instanceof RSAPrivateCrtKey rsa) {
      return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
    }
    if (key instanceof ECPrivateKey ec) {
      X9ECParameters curve = ECNamedCurveTable.getByName("P-256");
      org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(ec.getS()).normalize();
      ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ec.getParams()));
    }
    throw new GeneralSecurityException("an RSA private key without its CRT parameters cannot be published");
  }

  private static void warnIfReadableByOthers(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        LOG.warn("private signing key {} is readable by other users; chmod 600 it", file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
  }

  /** The key that signs new tokens. */
  public SigningKey active() {
    return active;
  }

  public List<SigningKey> all() {
    return keys;
  }

  /** The JWK set published at {@code /.well-known/jwks.json}: every key, the signing one first. */
  public JsonObject jwks() {
    JsonArray jwks = new JsonArray().add(active.jwk());
    keys.stream().filter(k -> k != active).forEach(k -> jwks.add(k.jwk()));
    return new JsonObject().put("keys", jwks);
  }
}
