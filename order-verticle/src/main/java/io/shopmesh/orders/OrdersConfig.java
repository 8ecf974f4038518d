package io.shopmesh.orders;

import io.shopmesh.platform.config.AuthConfig;
import io.shopmesh.platform.config.ConfigException;
import io.shopmesh.platform.config.DiscoveryConfig;
import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.config.Settings;

import java.time.Duration;
import java.util.Locale;

/** Everything the orders service reads from its configuration. */
public record OrdersConfig(HttpConfig http, PgConfig db, KafkaConfig kafka, AuthConfig auth, DiscoveryConfig discovery,
                           Saga saga) {

  /**
   * The {@code orders.*} keys.
   *
   * @param pendingDeadline      an order PENDING this long expires
   * @param expiryScan           how often each instance looks for orders past their deadline
   * @param longPollMax          the longest {@code ?timeout=} a long poll is held
   * @param maxWaiters           long polls held at once per instance; beyond, they are answered at once
   * @param idempotencyRetention how long an Idempotency-Key is remembered
   * @param metricsInterval      how often the orders-per-state gauge is recounted
   */
  public record Saga(Duration pendingDeadline, Duration expiryScan, Duration longPollMax, int maxWaiters,
                     Duration idempotencyRetention, Duration metricsInterval) {

    static Saga from(Settings s) {
      return new Saga(
          positive(s, "orders.pendingDeadline", Duration.ofMinutes(5)),
          positive(s, "orders.expiryScan", Duration.ofSeconds(5)),
          positive(s, "orders.longPollMax", Duration.ofSeconds(30)),
          s.integer("orders.maxWaiters", 10_000, 0, 1_000_000),
          atLeast(s, "orders.idempotencyRetention", Duration.ofHours(24), Duration.ofHours(24)),
          positive(s, "orders.metricsInterval", Duration.ofSeconds(15)));
    }
  }

  public static OrdersConfig from(Settings s) {
    // required here (AuthConfig leaves it optional for the users service, which signs the tokens)
    s.string("auth.jwksUrl");
    return new OrdersConfig(HttpConfig.from(s, 8082), PgConfig.from(s), KafkaConfig.from(s), AuthConfig.from(s),
        DiscoveryConfig.from(s), Saga.from(s));
  }

  private static Duration positive(Settings s, String key, Duration fallback) {
    return atLeast(s, key, fallback, Duration.ofMillis(1));
  }

  private static Duration atLeast(Settings s, String key, Duration fallback, Duration min) {
    Duration value = s.duration(key, fallback);
    if (value.compareTo(min) < 0) {
      throw new ConfigException("config key '" + key + "': expected a duration of at least "
          + min.toString().substring(2).toLowerCase(Locale.ROOT) + ", got " + value.toString().substring(2)
          .toLowerCase(Locale.ROOT));
    }
    return value;
  }
}
