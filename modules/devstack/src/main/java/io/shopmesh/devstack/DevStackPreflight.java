package io.shopmesh.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything checked before the first process starts, so a mistake costs one clear line instead of
 * a half-started stack: ports, the services' jars and configs, and {@code --fresh}.
 */
final class DevStackPreflight {

  /** What devstack itself puts in a data directory; --fresh deletes nothing else. */
  private static final Set<String> OWN_ENTRIES = Set.of("postgres", "postgres.log", "redis", "redis.conf",
      "redis.log", "kafka", "kafka.log", "kafka-server.properties");

  private DevStackPreflight() {
  }

  static void check(DevStackOptions options) {
    requirePorts(options);
    if (!options.infraOnly()) {
      requireServiceFiles(options.root());
    }
    if (options.fresh()) {
      wipe(options.dataDir());
    }
  }

  private static void requirePorts(DevStackOptions options) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    if (!options.infraOnly()) {
      for (MeshService service : MeshService.values()) {
        ports.put(service.portFlag(), service.port(options));
      }
    }
    ports.put("--pg-port", options.pgPort());
    ports.put("--redis-port", options.redisPort());
    ports.put("--kafka-port", options.kafkaPort());
    ports.put("--kafka-controller-port", options.kafkaControllerPort());
    Map<Integer, String> seen = new HashMap<>();
    ports.forEach((flag, port) -> {
      String other = seen.putIfAbsent(port, flag);
      if (other != null) {
        throw new DevStackException(
            "port " + port + " is given to both " + other + " and " + flag + "; choose another");
      }
    });
    ports.forEach((flag, port) -> Ports.requireFree(port, user(flag), flag));
  }

  /** {@code --kafka-controller-port} names {@code kafka controller}. */
  private static String user(String flag) {
    String name = flag.substring(2, flag.length() - "-port".length()).replace('-', ' ');
    return name.equals("pg") ? "postgres" : name;
  }

  private static void requireServiceFiles(Path root) {
    for (MeshService service : MeshService.values()) {
      if (!Files.isRegularFile(service.jar(root))) {
        throw new DevStackException(service.jar(root) + " is missing; run ./shopmesh dev (which builds it)"
            + " or mvn -B package -DskipTests in " + root + " first");
      }
      if (!Files.isRegularFile(service.conf(root))) {
        throw new DevStackException(
            service.conf(root) + " is missing; is " + root + " the Shopmesh repository? (--root)");
      }
    }
  }

  private static void wipe(Path dataDir) {
    if (!Files.isDirectory(dataDir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dataDir)) {
      List<String> foreign = entries.map(p -> p.getFileName().toString())
          .filter(name -> !OWN_ENTRIES.contains(name)).sorted().collect(Collectors.toList());
      if (!foreign.isEmpty()) {
        throw new DevStackException("refusing to wipe " + dataDir + " for --fresh: it holds files devstack did not"
            + " create (" + String.join(", ", foreign) + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ScratchDir.delete(dataDir);
  }
}
