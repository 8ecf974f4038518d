package io.shopmesh.users.work;

import io.shopmesh.platform.work.WorkPool;
import io.shopmesh.users.domain.Argon2id;
import io.vertx.core.Future;

import java.util.Optional;
import java.util.UUID;

/**
 * Password hashing and verification on the {@code passwords} work pool: never on an event loop,
 * and refused with a fast 503 when the pool is full. A login for an unknown email still pays for
 * one verification, against a hash of a random password, so the answer takes about as long as for
 * a known email with a wrong password.
 */
public final class Passwords {

  private final WorkPool pool;
  private final Argon2id argon2;
  private final String dummyHash;

  private Passwords(WorkPool pool, Argon2id argon2, String dummyHash) {
    this.pool = pool;
    this.argon2 = argon2;
    this.dummyHash = dummyHash;
  }

  /** Hashes the dummy password on the pool, then is ready. */
  public static Future<Passwords> create(WorkPool pool, Argon2id argon2) {
    String unguessable = UUID.randomUUID().toString();
    return pool.submit(() -> argon2.hash(unguessable)).map(dummy -> new Passwords(pool, argon2, dummy));
  }

  /** What checking a password found. */
  public record Verdict(boolean matches, boolean needsRehash) {
  }

  /**
   * Room for one verification, or a fast 503 when the workers are full: a login reserves before
   * its Redis and database work, so a burst beyond the bound is refused before any I/O.
   */
  public Future<WorkPool.Ticket> reserve() {
    return pool.reserve();
  }

  public Future<String> hash(String password) {
    return pool.submit(() -> argon2.hash(password));
  }

  /**
   * Checks {@code password} against {@code hash} in the room {@code ticket} reserved; with no hash,
   * does the same work and never matches.
   */
  public Future<Verdict> verify(WorkPool.Ticket ticket, String password, Optional<String> hash) {
    String against = hash.orElse(dummyHash);
    return ticket.submit(() -> {
      boolean matches = argon2.verify(password, against) && hash.isPresent();
      return new Verdict(matches, matches && argon2.needsRehash(against));
    });
  }
}
