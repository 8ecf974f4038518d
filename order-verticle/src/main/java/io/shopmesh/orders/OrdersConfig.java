package io.shopmesh.orders;

import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.config.Settings;

/** Everything the orders service reads from its configuration. */
public record OrdersConfig(HttpConfig http, PgConfig db, KafkaConfig kafka) {

  public static OrdersConfig from(Settings s) {
    return new OrdersConfig(HttpConfig.from(s, 8082), PgConfig.from(s), KafkaConfig.from(s));
  }
}
