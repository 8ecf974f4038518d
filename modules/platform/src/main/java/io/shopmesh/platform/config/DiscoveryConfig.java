package io.shopmesh.platform.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How services announce themselves and how the gateway finds them.
 *
 * @param backend        {@code static} (the {@code upstreams.*} lists), {@code redis} (VMs) or
 *                       {@code kubernetes} (Services of the namespace)
 * @param advertisedHost the host other processes reach this instance at
 * @param advertisedPort the port announced for this instance; 0 (the default) announces the bound HTTP port.
 *                       Set it when callers reach the instance through a port-forwarding hop (a NAT, a
 *                       sidecar, or a test's fault-injecting proxy)
 * @param heartbeat      how often an instance re-announces itself (redis)
 * @param ttl            an instance not heard of for this long is ignored, then removed (redis)
 * @param staticUpstreams base URLs per service name for the static backend
 */
public record DiscoveryConfig(String backend, String advertisedHost, int advertisedPort, String redisUrl,
                              String redisKey, Duration heartbeat, Duration ttl, String kubernetesNamespace,
                              String kubernetesServicePrefix, Map<String, List<String>> staticUpstreams) {

  public static final List<String> SERVICES = List.of("users", "orders", "inventory");

  public static DiscoveryConfig from(Settings s) {
    String backend = s.parsed("discovery.backend", "static", "one of static, redis, kubernetes", value -> {
      if (!List.of("static", "redis", "kubernetes").contains(value)) {
        throw new IllegalArgumentException(value);
      }
      return value;
    });
    Map<String, List<String>> upstreams = new HashMap<>();
    for (String service : SERVICES) {
      upstreams.put(service, s.list("upstreams." + service, List.of()));
    }
    return new DiscoveryConfig(
        backend,
        s.string("discovery.advertisedHost", "127.0.0.1"),
        s.integer("discovery.advertisedPort", 0, 0, 65535),
        s.string("discovery.redisUrl", s.string("redis.url", "")),
        s.string("redis.keyPrefix", "shopmesh:") + "discovery",
        s.duration("discovery.heartbeat", Duration.ofSeconds(5)),
        s.duration("discovery.ttl", Duration.ofSeconds(15)),
        s.string("discovery.kubernetes.namespace", ""),
        s.string("discovery.kubernetes.servicePrefix", "shopmesh-"),
        Map.copyOf(upstreams));
  }
}
