package io.shopmesh.users;

import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.config.RedisConfig;
import io.shopmesh.platform.config.Settings;

/** Everything the users service reads from its configuration. */
public record UsersConfig(HttpConfig http, PgConfig db, RedisConfig redis, KafkaConfig kafka) {

  public static UsersConfig from(Settings s) {
    return new UsersConfig(HttpConfig.from(s, 8081), PgConfig.from(s), RedisConfig.from(s), KafkaConfig.from(s));
  }
}
