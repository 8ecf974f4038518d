package io.shopmesh.platform.discovery;

import io.vertx.core.Future;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Instances listed in configuration ({@code upstreams.<service>}); nothing is announced. */
final class StaticRegistry implements ServiceRegistry {

  private final Map<String, List<ServiceInstance>> instances;

  StaticRegistry(Map<String, List<String>> upstreams) {
    this.instances = upstreams.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
        e -> e.getValue().stream().map(url -> instance(e.getKey(), url)).toList()));
  }

  private static ServiceInstance instance(String service, String url) {
    URI uri = URI.create(url);
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("upstream of " + service + " must look like http://host:port, got " + url);
    }
    return new ServiceInstance(service, service + "@" + uri.getHost() + ":" + uri.getPort(), uri.getHost(),
        uri.getPort());
  }

  @Override
  public Future<Void> register(ServiceInstance self, Supplier<Future<Boolean>> ready) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> deregister() {
    return Future.succeededFuture();
  }

  @Override
  public Future<List<ServiceInstance>> instances(String service) {
    return Future.succeededFuture(instances.getOrDefault(service, List.of()));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
