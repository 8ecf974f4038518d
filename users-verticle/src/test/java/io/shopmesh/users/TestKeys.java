package io.shopmesh.users;

import io.shopmesh.devstack.ScratchDir;
import io.shopmesh.devstack.ShutdownSequence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Key directories as an operator would lay them out for {@code jwt.keysDir}. */
public final class TestKeys {

  /** Every key directory of this JVM lives under one scratch directory, removed when the JVM ends. */
  private static final ScratchDir ROOT = ScratchDir.create("shopmesh-test-keys-");

  static {
    ShutdownSequence.register("test key directories", ROOT::close);
  }

  private TestKeys() {
  }

  public static Path newDir() {
    try {
      return Files.createTempDirectory(ROOT.path(), "keys-", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new RSA-2048 key written as {@code <kid>.pem}. */
  public static KeyPair rsa(Path dir, String kid) {
    KeyPair pair = generate("RSA", 2048);
    writePrivate(dir, kid, pair);
    return pair;
  }

  /** A new EC P-256 key written as {@code <kid>.pem}. */
  public static KeyPair ec(Path dir, String kid) {
    KeyPair pair = generate("EC", 256);
    writePrivate(dir, kid, pair);
    return pair;
  }

  public static KeyPair generate(String type, int size) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
      if (type.equals("EC")) {
        generator.initialize(new ECGenParameterSpec(size == 384 ? "secp384r1" : "secp256r1"));
      } else {
        generator.initialize(size);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void writePrivate(Path dir, String kid, KeyPair pair) {
    write(dir.resolve(kid + ".pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
  }

  /** The public half only, as {@code <kid>.pub.pem}: published, never signing. */
  public static void writePublic(Path dir, String kid, KeyPair pair) {
    write(dir.resolve(kid + ".pub.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  public static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  public static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
