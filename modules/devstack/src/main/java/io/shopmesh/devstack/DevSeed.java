package io.shopmesh.devstack;

/**
 * A step run once the whole stack is ready, to fill it with demo data through the public API.
 *
 * <p>Today the launcher uses {@link #NONE}: the demo catalog is seeded here once the inventory
 * service exists, by an implementation that posts the products through the gateway.
 */
@FunctionalInterface
public interface DevSeed {

  /** Seeds nothing. */
  DevSeed NONE = endpoints -> { };

  void seed(Endpoints endpoints) throws Exception;
}
