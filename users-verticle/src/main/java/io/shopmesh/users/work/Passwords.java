package io.shopmesh.users.work;

import io.shopmesh.platform.work.WorkPool;
import io.shopmesh.users.domain.Argon2id;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * Password hashing and verification on the {@code passwords} work pool: never on an event loop,
 * and refused with a fast 503 when the pool is full. A login for an unknown email still pays for
 * one verification, against a stand-in hash no password matches, so the answer takes about as long
 * as for a known email with a wrong password.
 */
public final class Passwords {

  private final WorkPool pool;
  private final Argon2id argon2;
  private final String standIn;

  private Passwords(WorkPool pool, Argon2id argon2, String standIn) {
    this.pool = pool;
    this.argon2 = argon2;
    this.standIn = standIn;
  }

  /**
   * Ready at once: the stand-in for unknown emails is {@link Argon2id#unmatchable()}, which costs
   * the same to check as a real hash. (It used to be the hash of a random password, made at start;
   * the first hash runs in the interpreter and kept a starting users service waiting 1-1.5 s.)
   */
  public static Passwords create(WorkPool pool, Argon2id argon2) {
    return new Passwords(pool, argon2, argon2.unmatchable());
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
    String against = hash.orElse(standIn);
    return ticket.submit(() -> {
      boolean matches = argon2.verify(password, against) && hash.isPresent();
      return new Verdict(matches, matches && argon2.needsRehash(against));
    });
  }
}
