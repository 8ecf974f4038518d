package io.shopmesh.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The users service's token signing key for the dev stack: an RSA-2048 key generated on the first
 * start as {@code <stateDir>/keys/dev-<id>.pem} (PKCS#8, directory 700, file 600) and reused
 * afterwards, so tokens survive restarts. It lives under {@code .shopmesh/}, which git ignores.
 */
final class DevKeys {

  private DevKeys() {
  }

  /** Creates a key in {@code dir} unless it already holds a private key; returns {@code dir}. */
  static Path ensure(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!hasPrivateKey(dir)) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        String kid = "dev-" + UUID.randomUUID().toString().substring(0, 8);
        PrivateFiles.write(dir.resolve(kid + ".pem"), "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the signing key directory " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK generates RSA keys", e);
    }
  }

  private static boolean hasPrivateKey(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).anyMatch(n -> n.endsWith(".pem") && !n.endsWith(".pub.pem"));
    }
  }
}
