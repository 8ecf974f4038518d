package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevKeysTest {

  @TempDir
  Path root;

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  @Test
  @DisplayName("the first start writes one PKCS#8 RSA-2048 key readable only by its owner; later starts reuse it")
  void generatedOnceAndReused() throws Exception {
    Path dir = DevKeys.ensure(root.resolve(".shopmesh/keys"));
    List<Path> keys = files(dir);
    assertThat(keys).hasSize(1);
    Path key = keys.get(0);
    assertThat(key.getFileName().toString()).matches("dev-[0-9a-f]{8}\\.pem");
    assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

    String pem = Files.readString(key);
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    assertThat(rsa.getModulus().bitLength()).isEqualTo(2048);

    DevKeys.ensure(dir);
    assertThat(files(dir)).containsExactly(key);
    assertThat(Files.readString(key)).isEqualTo(pem);
  }

  @Test
  @DisplayName("a directory that already holds a private key (an operator's own) is left alone")
  void existingKeyKept() throws Exception {
    Path dir = Files.createDirectories(root.resolve("keys"));
    Files.writeString(dir.resolve("mine.pem"), "operator key");
    Files.writeString(dir.resolve("old.pub.pem"), "retired key");
    DevKeys.ensure(dir);
    assertThat(files(dir)).hasSize(2);
  }
}
