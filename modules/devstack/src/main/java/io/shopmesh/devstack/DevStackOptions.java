package io.shopmesh.devstack;

import java.nio.file.Path;

/**
 * How {@code shopmesh dev} runs: where the repository and the data are, and every port.
 *
 * @param root the repository root, where the services' jars and {@code conf/} are
 * @param dataDir the servers' data; its parent (by default {@code .shopmesh/}) also holds
 *     {@code secrets.json}, {@code endpoints.json} and {@code logs/}
 * @param fresh wipe {@code dataDir} before starting
 * @param infraOnly start PostgreSQL, Redis and Kafka only, no services
 */
public record DevStackOptions(
    Path root,
    Path dataDir,
    boolean fresh,
    int gatewayPort,
    int usersPort,
    int ordersPort,
    int inventoryPort,
    int pgPort,
    int redisPort,
    int kafkaPort,
    int kafkaControllerPort,
    boolean infraOnly) {

  public DevStackOptions {
    root = root.toAbsolutePath().normalize();
    dataDir = dataDir.toAbsolutePath().normalize();
  }

  /** The defaults: repository = working directory, data in {@code ./.shopmesh/data}, ports 8080-8083 etc. */
  public static DevStackOptions defaults() {
    Path cwd = Path.of("").toAbsolutePath();
    return new DevStackOptions(cwd, cwd.resolve(".shopmesh").resolve("data"), false,
        8080, 8081, 8082, 8083, 54320, 63790, 19092, 19093, false);
  }

  /** The directory holding {@code dataDir}, secrets, endpoints and logs ({@code .shopmesh/}). */
  public Path stateDir() {
    return dataDir.getParent();
  }

  /** The users service's signing keys ({@code .shopmesh/keys}), generated on first start. */
  public Path keysDir() {
    return stateDir().resolve("keys");
  }
}
