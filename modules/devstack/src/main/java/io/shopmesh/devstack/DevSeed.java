package io.shopmesh.devstack;

/**
 * A step run once the whole stack is ready, to fill it with demo data through the public API.
 * The launcher seeds the {@link DemoCatalog}; end-to-end tests start from an empty stack.
 */
@FunctionalInterface
public interface DevSeed {

  /** Seeds nothing. */
  DevSeed NONE = endpoints -> { };

  void seed(Endpoints endpoints) throws Exception;
}
