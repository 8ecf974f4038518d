package io.shopmesh.users.store;

import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.time.Duration;

/**
 * Limits failed logins per account and per client address, in Redis (fixed windows). An attempt
 * counts from the moment it starts, so a burst of parallel guesses is bounded too; a successful
 * attempt is given back, so only failures use up the allowance. Checking and counting happen in
 * one Lua script.
 *
 * <p>Keys: {@code <prefix>users:login:account:<sha256 of email>} and
 * {@code <prefix>users:login:ip:<address>}, each expiring one window after its first attempt.
 */
public final class LoginAttempts {

  private static final String BEGIN = """
      local wait = 0
      for _, key in ipairs(KEYS) do
        if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[1]) then
          local ttl = redis.call('PTTL', key)
          if ttl < 0 then ttl = tonumber(ARGV[2]) end
          if ttl > wait then wait = ttl end
        end
      end
      if wait > 0 then return wait end
      for _, key in ipairs(KEYS) do
        if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[2]) end
      end
      return 0
      """;

  private static final String GIVE_BACK = """
      for _, key in ipairs(KEYS) do
        if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
      end
      return 0
      """;

  private final Redis redis;
  private final RedisKeys keys;
  private final int maxAttempts;
  private final Duration window;

  public LoginAttempts(Redis redis, String keyPrefix, int maxAttempts, Duration window) {
    this.redis = redis;
    this.keys = new RedisKeys(keyPrefix);
    this.maxAttempts = maxAttempts;
    this.window = window;
  }

  /** Counts an attempt, or fails with 429 and {@code Retry-After} when either limit is used up. */
  public Future<Void> begin(String email, String clientAddress) {
    return redis.send(script(BEGIN, email, clientAddress).arg(maxAttempts).arg(window.toMillis()))
        .recover(RedisKeys::unavailable)
        .compose(wait -> {
          long millis = wait.toLong();
          if (millis > 0) {
            return Future.failedFuture(ProblemException.tooManyRequests(
                "too many failed logins for this account or address; retry later",
                Duration.ofMillis(millis).plusMillis(999).withNanos(0)));
          }
          return Future.succeededFuture();
        });
  }

  /** Gives an attempt back (it succeeded, or it never got to check the password). */
  public Future<Void> giveBack(String email, String clientAddress) {
    return redis.send(script(GIVE_BACK, email, clientAddress)).recover(RedisKeys::unavailable).mapEmpty();
  }

  private Request script(String script, String email, String clientAddress) {
    return Request.cmd(Command.EVAL).arg(script).arg(2)
        .arg(keys.key("login:account", RedisKeys.sha256(email)))
        .arg(keys.key("login:ip", clientAddress));
  }
}
