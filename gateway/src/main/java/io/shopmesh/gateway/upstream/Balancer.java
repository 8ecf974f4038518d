package io.shopmesh.gateway.upstream;

import io.shopmesh.platform.discovery.ServiceInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Round robin over an upstream's live instances. An instance that refused a connection or timed
 * out is ejected for a while and skipped (unless nothing else is left), so one dead instance costs
 * at most one failed attempt per ejection period instead of one in N requests.
 */
final class Balancer {

  private final Duration ejectFor;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<String, Long> ejectedUntil = new ConcurrentHashMap<>();
  private volatile List<ServiceInstance> instances = List.of();

  Balancer(Duration ejectFor) {
    this.ejectFor = ejectFor;
  }

  void update(List<ServiceInstance> live) {
    instances = List.copyOf(live);
    ejectedUntil.keySet().removeIf(id -> live.stream().noneMatch(i -> i.id().equals(id)));
  }

  List<ServiceInstance> instances() {
    return instances;
  }

  /** The next instance to try, skipping {@code tried} and (when possible) ejected ones. */
  Optional<ServiceInstance> choose(Set<String> tried) {
    List<ServiceInstance> current = instances;
    int size = current.size();
    if (size == 0) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    int start = Math.floorMod(next.getAndIncrement(), size);
    ServiceInstance fallback = null;
    for (int i = 0; i < size; i++) {
      ServiceInstance candidate = current.get((start + i) % size);
      if (tried.contains(candidate.id())) {
        continue;
      }
      Long until = ejectedUntil.get(candidate.id());
      if (until == null || until - now <= 0) {
        return Optional.of(candidate);
      }
      if (fallback == null) {
        fallback = candidate;
      }
    }
    return Optional.ofNullable(fallback);
  }

  void eject(ServiceInstance instance) {
    ejectedUntil.put(instance.id(), System.nanoTime() + ejectFor.toNanos());
  }

  boolean isEjected(ServiceInstance instance) {
    Long until = ejectedUntil.get(instance.id());
    return until != null && until - System.nanoTime() > 0;
  }

  Set<String> ejectedIds() {
    return Set.copyOf(ejectedUntil.keySet());
  }
}
