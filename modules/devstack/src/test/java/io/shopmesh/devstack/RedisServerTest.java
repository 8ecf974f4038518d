package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

class RedisServerTest {

  @TempDir
  Path dir;
  private RedisServer redis;

  @AfterEach
  void stop() {
    if (redis != null) {
      redis.stop();
    }
  }

  @Test
  @DisplayName("a key survives a restart (append-only file in the data directory)")
  void survivesRestart() {
    int port = Ports.freePort();
    redis = RedisServer.start(dir.resolve("redis"), port);
    assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + port);
    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      jedis.set("cart:42", "3 items");
    }

    redis.restart();

    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      assertThat(jedis.get("cart:42")).isEqualTo("3 items");
    }
    assertThat(dir.resolve("redis").resolve("appendonly.aof")).exists();
  }
}
