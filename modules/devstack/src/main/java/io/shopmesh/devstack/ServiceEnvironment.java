package io.shopmesh.devstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment each service gets from the launcher: the one place that says how a service
 * finds the infrastructure and its peers. Services map {@code SHOPMESH_A_B} onto config key {@code a.b}.
 */
final class ServiceEnvironment {

  private final DevStackOptions options;
  private final Endpoints endpoints;
  private final Map<MeshService, ServiceDatabase> databases;
  private final Map<MeshService, Map<String, String>> overrides;

  ServiceEnvironment(DevStackOptions options, Endpoints endpoints, Map<MeshService, ServiceDatabase> databases,
                     Map<MeshService, Map<String, String>> overrides) {
    this.options = options;
    this.endpoints = endpoints;
    this.databases = databases;
    this.overrides = overrides;
  }

  Map<String, String> of(MeshService service) {
    Map<String, String> env = common(service);
    if (service.ownsDatabase()) {
      ServiceDatabase db = databases.get(service);
      env.put("SHOPMESH_DB_URL", db.url());
      env.put("SHOPMESH_DB_PASSWORD", db.password());
    }
    switch (service) {
      case GATEWAY -> gateway(env);
      case USERS -> users(env);
      case ORDERS, INVENTORY -> env.put("SHOPMESH_AUTH_JWKS_URL", MeshService.USERS.url(options) + "/.well-known/jwks.json");
    }
    env.putAll(overrides.getOrDefault(service, Map.of()));
    return env;
  }

  private Map<String, String> common(MeshService service) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SHOPMESH_HTTP_HOST", "127.0.0.1");
    env.put("SHOPMESH_HTTP_PORT", Integer.toString(service.port(options)));
    env.put("SHOPMESH_REDIS_URL", endpoints.redis().url());
    env.put("SHOPMESH_KAFKA_BOOTSTRAP", endpoints.kafka().bootstrap());
    // instances announce themselves in Redis and the gateway finds them there, as on VMs
    env.put("SHOPMESH_DISCOVERY_BACKEND", "redis");
    env.put("SHOPMESH_DISCOVERY_REDIS_URL", endpoints.redis().url());
    env.put("SHOPMESH_DISCOVERY_ADVERTISED_HOST", "127.0.0.1");
    // the mesh restarts often in dev: no need to wait for gateways to notice a leaving instance
    env.put("SHOPMESH_DISCOVERY_DRAIN_DELAY", "1s");
    return env;
  }

  private void gateway(Map<String, String> env) {
    env.put("SHOPMESH_UPSTREAMS_USERS", MeshService.USERS.url(options));
    env.put("SHOPMESH_UPSTREAMS_ORDERS", MeshService.ORDERS.url(options));
    env.put("SHOPMESH_UPSTREAMS_INVENTORY", MeshService.INVENTORY.url(options));
  }

  private void users(Map<String, String> env) {
    env.put("SHOPMESH_JWT_KEYS_DIR", options.keysDir().toString());
    env.put("SHOPMESH_ADMIN_EMAIL", endpoints.admin().email());
    env.put("SHOPMESH_ADMIN_PASSWORD", endpoints.admin().password());
    // the gateway, on this machine, sets X-Forwarded-For: per-client login limits need it
    env.put("SHOPMESH_LOGIN_TRUSTED_PROXIES", "127.0.0.1");
  }
}
