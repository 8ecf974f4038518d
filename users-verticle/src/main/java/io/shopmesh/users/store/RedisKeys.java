package io.shopmesh.users.store;

import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** Key naming and failure mapping shared by the users service's Redis stores. */
final class RedisKeys {

  private static final Logger LOG = LoggerFactory.getLogger(RedisKeys.class);

  private final String prefix;

  /** @param keyPrefix the deployment's {@code redis.keyPrefix}; every key of this service lives below {@code <prefix>users:} */
  RedisKeys(String keyPrefix) {
    this.prefix = keyPrefix + "users:";
  }

  String key(String kind, String id) {
    return prefix + kind + ":" + id;
  }

  String prefix(String kind) {
    return prefix + kind + ":";
  }

  /** Hex SHA-256, for secrets and personal data that must not appear in key names. */
  static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Redis being unreachable is a 503 for the client, not a 500. */
  static <T> Future<T> unavailable(Throwable failure) {
    if (failure instanceof ProblemException) {
      return Future.failedFuture(failure);
    }
    LOG.warn("redis request failed: {}", failure.toString());
    return Future.failedFuture(ProblemException.unavailable("the token store is unavailable; retry shortly",
        Duration.ofSeconds(1)));
  }
}
