package io.shopmesh.gateway;

import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.RedisConfig;
import io.shopmesh.platform.config.Settings;

/** Everything the gateway reads from its configuration. */
public record GatewayConfig(HttpConfig http, RedisConfig redis) {

  public static GatewayConfig from(Settings s) {
    return new GatewayConfig(HttpConfig.from(s, 8080), RedisConfig.from(s));
  }
}
