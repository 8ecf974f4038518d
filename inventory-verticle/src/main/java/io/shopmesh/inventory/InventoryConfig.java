package io.shopmesh.inventory;

import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.config.Settings;

/** Everything the inventory service reads from its configuration. */
public record InventoryConfig(HttpConfig http, PgConfig db, KafkaConfig kafka) {

  public static InventoryConfig from(Settings s) {
    return new InventoryConfig(HttpConfig.from(s, 8083), PgConfig.from(s), KafkaConfig.from(s));
  }
}
