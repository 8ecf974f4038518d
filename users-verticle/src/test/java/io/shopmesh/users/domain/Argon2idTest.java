package io.shopmesh.users.domain;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class Argon2idTest {

  private final Argon2id argon2 = new Argon2id(Argon2id.OWASP);

  @Test
  @DisplayName("a hash is a PHC string with the OWASP parameters, a 16-byte random salt and a 32-byte hash")
  void format() {
    String hash = argon2.hash("correct horse battery staple");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    String[] parts = hash.split("\\$");
    assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
    assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
    assertThat(argon2.hash("correct horse battery staple")).as("fresh salt each time").isNotEqualTo(hash);
  }

  @Test
  @DisplayName("the right password verifies; a wrong one, a truncated hash or garbage do not")
  void verify() {
    String hash = argon2.hash("correct horse battery staple");
    assertThat(argon2.verify("correct horse battery staple", hash)).isTrue();
    assertThat(argon2.verify("correct horse battery stapl", hash)).isFalse();
    assertThat(argon2.verify("correct horse battery staple", hash.substring(0, hash.length() - 4))).isFalse();
    assertThat(argon2.verify("x", "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW")).isFalse();
    assertThat(argon2.verify("x", "")).isFalse();
    assertThat(argon2.verify("x", "$argon2id$v=19$m=9999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"))
        .as("absurd memory cost is refused, not attempted").isFalse();
  }

  @Test
  @DisplayName("hashes from the reference implementation verify (interoperable PHC strings)")
  void referenceVector() {
    // phc-winner-argon2 test vector: argon2id, v=19, m=64 MiB, t=2, p=1, password "password", salt "somesalt"
    String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    assertThat(argon2.verify("password", reference)).isTrue();
    assertThat(argon2.verify("Password", reference)).isFalse();
  }

  @Test
  @DisplayName("the unmatchable stand-in has the current parameters, a fresh salt each time, and no password "
      + "matches it")
  void unmatchable() {
    String standIn = argon2.unmatchable();
    assertThat(standIn).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(argon2.unmatchable());
    String[] parts = standIn.split("\\$");
    assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
    assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
    assertThat(argon2.needsRehash(standIn)).as("checked with the same work as a current hash").isFalse();
    assertThat(argon2.verify("", standIn)).isFalse();
    assertThat(argon2.verify("correct horse battery staple", standIn)).isFalse();
  }

  @Test
  @DisplayName("a hash made with weaker parameters needs a rehash; one made with the current parameters does not")
  void rehash() {
    String weak = new Argon2id(new Argon2id.Parameters(4096, 1, 1)).hash("pw");
    assertThat(argon2.needsRehash(weak)).isTrue();
    assertThat(argon2.verify("pw", weak)).as("old hashes keep working").isTrue();
    assertThat(argon2.needsRehash(argon2.hash("pw"))).isFalse();
    assertThat(argon2.needsRehash(new Argon2id(new Argon2id.Parameters(65536, 3, 1)).hash("pw")))
        .as("stronger than current is fine").isFalse();
  }

  @Test
  @DisplayName("memory reused from the pool, by more threads than it was sized for, gives the same hashes as fresh "
      + "memory")
  void pooledMemory() throws Exception {
    Argon2id pooled = new Argon2id(Argon2id.OWASP, 2);
    String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> hashes = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String password = "password " + i;
        hashes.add(threads.submit(() -> pooled.hash(password)));
      }
      List<Future<Boolean>> references = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        references.add(threads.submit(() -> pooled.verify("password", reference)));
      }
      for (int i = 0; i < hashes.size(); i++) {
        String hash = hashes.get(i).get();
        assertThat(new Argon2id(Argon2id.OWASP).verify("password " + i, hash)).as("hash %d checked elsewhere", i)
            .isTrue();
        assertThat(pooled.verify("password " + i, hash)).isTrue();
        assertThat(pooled.verify("password " + (i + 1), hash)).isFalse();
      }
      for (Future<Boolean> verified : references) {
        assertThat(verified.get()).as("a larger hash than the pool holds").isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
