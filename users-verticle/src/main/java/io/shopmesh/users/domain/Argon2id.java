package io.shopmesh.users.domain;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * argon2id password hashes (RFC 9106) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}: the parameters travel with each hash, so
 * they can be raised later and old hashes recognised and replaced at the next successful login.
 * CPU- and memory-heavy on purpose (about 27 ms and 19 MiB per call): call it on a worker thread only.
 *
 * <p>The 19 MiB of a hash come from a pool of blocks kept for as many hashes as run at once, and
 * are zeroed when they go back. Without it, each login allocated its 19 MiB anew: at the login
 * rate of two cores that is more than 1 GB/s of garbage, and the collector's pauses stalled the
 * event loops of the whole process (see the {@code isolation} benchmark).
 */
public final class Argon2id {

  /** OWASP's recommended minimum for argon2id: 19 MiB, two passes, one lane. */
  public static final Parameters OWASP = new Parameters(19 * 1024, 2, 1);

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{16,128})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Parameters current;
  private final Argon2BytesGenerator.BlockPool blocks;

  /** Hashes with {@code current}, keeping the memory of one hash between calls. */
  public Argon2id(Parameters current) {
    this(current, 1);
  }

  /**
   * Hashes with {@code current}, keeping the memory of {@code concurrentHashes} hashes between
   * calls (the number of threads that hash at once: more would allocate again, fewer would retain
   * memory nobody uses).
   */
  public Argon2id(Parameters current, int concurrentHashes) {
    this.current = current;
    this.blocks = new Argon2BytesGenerator.FixedBlockPool(
        Argon2BytesGenerator.getBlockCount(current.memoryKib, current.parallelism) * Math.max(1, concurrentHashes));
  }

  /** The cost of one hash: memory in KiB, passes, lanes. */
  public record Parameters(int memoryKib, int iterations, int parallelism) {

    /** True when any cost is lower than {@code target}'s. */
    public boolean weakerThan(Parameters target) {
      return memoryKib < target.memoryKib || iterations < target.iterations || parallelism < target.parallelism;
    }
  }

  /** A new hash of {@code password} with a fresh random salt and the current parameters. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return encode(salt, derive(password, salt, current, HASH_BYTES));
  }

  /**
   * A well-formed hash with the current parameters that no password matches (its hash part is
   * random, not derived): checking a password against it costs exactly what checking a real hash
   * costs, and making it costs nothing.
   */
  public String unmatchable() {
    byte[] salt = new byte[SALT_BYTES];
    byte[] hash = new byte[HASH_BYTES];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(hash);
    return encode(salt, hash);
  }

  private String encode(byte[] salt, byte[] hash) {
    return "$argon2id$v=19$m=" + current.memoryKib + ",t=" + current.iterations + ",p=" + current.parallelism
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** Whether {@code password} matches {@code encoded}; false (never an exception) for a malformed hash. */
  public boolean verify(String password, String encoded) {
    Matcher m = PHC.matcher(encoded);
    if (!m.matches()) {
      return false;
    }
    Parameters parameters = parametersOf(m);
    if (parameters.memoryKib > 1024 * 1024 || parameters.iterations < 1 || parameters.parallelism < 1) {
      return false;
    }
    byte[] expected = B64_DECODE.decode(m.group(5));
    byte[] actual = derive(password, B64_DECODE.decode(m.group(4)), parameters, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  /** True when {@code encoded} was made with weaker parameters than the current ones (or cannot be read). */
  public boolean needsRehash(String encoded) {
    Matcher m = PHC.matcher(encoded);
    return !m.matches() || parametersOf(m).weakerThan(current);
  }

  private static Parameters parametersOf(Matcher m) {
    return new Parameters(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  private byte[] derive(String password, byte[] salt, Parameters parameters, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(parameters.memoryKib)
        .withIterations(parameters.iterations)
        .withParallelism(parameters.parallelism)
        .withSalt(salt)
        .withBlockPool(blocks)
        .build());
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
