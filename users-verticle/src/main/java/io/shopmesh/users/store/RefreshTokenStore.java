package io.shopmesh.users.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Refresh tokens, kept only in Redis and only as SHA-256 hashes. Each login starts a family;
 * every refresh retires the presented token and issues the next one of the same family. A retired
 * token presented again means it leaked (or two clients raced): the whole family is revoked, so the
 * thief and the owner both have to log in again. Each step is one Lua script, so two concurrent
 * refreshes of one token cannot both succeed.
 *
 * <p>Keys: {@code <prefix>users:refresh:<sha256>} = hash {u: user id, f: family id, used: 0|1},
 * {@code <prefix>users:family:<id>} = user id; the family key existing is what keeps its tokens
 * alive. Both expire {@code ttl} after the family's last refresh.
 */
public final class RefreshTokenStore {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final String ISSUE = """
      redis.call('HSET', KEYS[1], 'u', ARGV[1], 'f', ARGV[2], 'used', '0')
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
      return 1
      """;

  private static final String ROTATE = """
      local token = redis.call('HMGET', KEYS[1], 'u', 'f', 'used')
      if not token[1] then return {'unknown'} end
      local family = ARGV[1] .. token[2]
      if redis.call('EXISTS', family) == 0 then return {'revoked', token[1], token[2]} end
      if token[3] == '1' then
        redis.call('DEL', family)
        return {'reused', token[1], token[2]}
      end
      redis.call('HSET', KEYS[1], 'used', '1')
      redis.call('HSET', KEYS[2], 'u', token[1], 'f', token[2], 'used', '0')
      redis.call('PEXPIRE', KEYS[2], ARGV[2])
      redis.call('PEXPIRE', family, ARGV[2])
      return {'rotated', token[1], token[2]}
      """;

  /** The owner and family of a current token (known, unused, family alive); nothing otherwise. Changes nothing. */
  private static final String PEEK = """
      local token = redis.call('HMGET', KEYS[1], 'u', 'f', 'used')
      if not token[1] or token[3] == '1' then return {} end
      if redis.call('EXISTS', ARGV[1] .. token[2]) == 0 then return {} end
      return {token[1], token[2]}
      """;

  private static final String REVOKE = """
      local token = redis.call('HMGET', KEYS[1], 'u', 'f')
      if not token[1] then return {'unknown'} end
      if token[1] ~= ARGV[2] then return {'foreign'} end
      redis.call('DEL', ARGV[1] .. token[2])
      return {'revoked'}
      """;

  private final Redis redis;
  private final RedisKeys keys;
  private final long ttlMillis;

  public RefreshTokenStore(Redis redis, String keyPrefix, Duration ttl) {
    this.redis = redis;
    this.keys = new RedisKeys(keyPrefix);
    this.ttlMillis = ttl.toMillis();
  }

  /** What presenting a refresh token did. */
  public sealed interface Rotation {
  }

  /** The token was current: here is its successor. */
  public record Rotated(UUID userId, String familyId, String nextToken) implements Rotation {

    @Override
    public String toString() {
      return "Rotated[userId=" + userId + ", familyId=" + familyId + "]";
    }
  }

  /** The token had been used before: its family is now revoked. */
  public record Reused(UUID userId, String familyId) implements Rotation {
  }

  /** Unknown, expired, or of a revoked family. */
  public record Invalid() implements Rotation {
  }

  /** What logging out with a refresh token did. */
  public enum Revocation { REVOKED, UNKNOWN, FOREIGN }

  /** Starts a new family for {@code userId} (a login) and returns its first token. */
  public Future<String> startFamily(UUID userId) {
    String token = newToken();
    String family = UUID.randomUUID().toString();
    return eval(ISSUE, 2, keys.key("refresh", RedisKeys.sha256(token)), keys.key("family", family),
        userId.toString(), family, Long.toString(ttlMillis))
        .map(ok -> token);
  }

  /** A current token's owner and family. */
  public record Current(UUID userId, String familyId) {
  }

  /**
   * The owner of {@code token} when it is current (it could be rotated now); empty for a token that is
   * unknown, expired, retired or of a revoked family. Changes nothing.
   */
  public Future<Optional<Current>> peek(String token) {
    return eval(PEEK, 1, keys.key("refresh", RedisKeys.sha256(token)), keys.prefix("family"))
        .map(result -> result.size() < 2 ? Optional.<Current>empty()
            : Optional.of(new Current(UUID.fromString(result.get(0).toString()), result.get(1).toString())));
  }

  /** Retires {@code token} and issues its successor, or revokes its family when it was already retired. */
  public Future<Rotation> rotate(String token) {
    String next = newToken();
    return eval(ROTATE, 2, keys.key("refresh", RedisKeys.sha256(token)), keys.key("refresh", RedisKeys.sha256(next)),
        keys.prefix("family"), Long.toString(ttlMillis))
        .map(result -> switch (result.get(0).toString()) {
          case "rotated" -> new Rotated(UUID.fromString(result.get(1).toString()), result.get(2).toString(), next);
          case "reused" -> new Reused(UUID.fromString(result.get(1).toString()), result.get(2).toString());
          default -> new Invalid();
        });
  }

  /** Revokes the family of {@code token} when it belongs to {@code userId}. */
  public Future<Revocation> revokeFamily(String token, UUID userId) {
    return eval(REVOKE, 1, keys.key("refresh", RedisKeys.sha256(token)), keys.prefix("family"), userId.toString())
        .map(result -> switch (result.get(0).toString()) {
          case "revoked" -> Revocation.REVOKED;
          case "foreign" -> Revocation.FOREIGN;
          default -> Revocation.UNKNOWN;
        });
  }

  /** Revokes a family by id (its user is gone). */
  public Future<Void> revokeFamily(String familyId) {
    return redis.send(Request.cmd(Command.DEL).arg(keys.key("family", familyId)))
        .recover(RedisKeys::unavailable).mapEmpty();
  }

  /** 256 random bits, base64url without padding (43 characters). */
  private static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private Future<Response> eval(String script, int keyCount, String... keysThenArgs) {
    Request request = Request.cmd(Command.EVAL).arg(script).arg(keyCount);
    for (String arg : keysThenArgs) {
      request.arg(arg);
    }
    return redis.send(request).recover(RedisKeys::unavailable);
  }
}
