package io.shopmesh.devstack;

import java.nio.file.Path;

/** The four services of the mesh: their module, port option and whether they own a database. */
public enum MeshService {
  GATEWAY("gateway", "gateway", false),
  USERS("users", "users-verticle", true),
  ORDERS("orders", "order-verticle", true),
  INVENTORY("inventory", "inventory-verticle", true);

  private final String serviceName;
  private final String module;
  private final boolean ownsDatabase;

  MeshService(String serviceName, String module, boolean ownsDatabase) {
    this.serviceName = serviceName;
    this.module = module;
    this.ownsDatabase = ownsDatabase;
  }

  /** e.g. {@code orders}: the log name, the config file name, and the database and role name. */
  public String serviceName() {
    return serviceName;
  }

  public boolean ownsDatabase() {
    return ownsDatabase;
  }

  /** {@code <root>/<module>/target/<module>.jar} */
  public Path jar(Path root) {
    return root.resolve(module).resolve("target").resolve(module + ".jar");
  }

  /** {@code <root>/conf/<service>.yaml} */
  public Path conf(Path root) {
    return root.resolve("conf").resolve(serviceName + ".yaml");
  }

  public int port(DevStackOptions options) {
    return switch (this) {
      case GATEWAY -> options.gatewayPort();
      case USERS -> options.usersPort();
      case ORDERS -> options.ordersPort();
      case INVENTORY -> options.inventoryPort();
    };
  }

  /** The command-line flag that sets this service's port, e.g. {@code --orders-port}. */
  public String portFlag() {
    return "--" + serviceName + "-port";
  }

  /** {@code http://127.0.0.1:<port>} */
  public String url(DevStackOptions options) {
    return "http://127.0.0.1:" + port(options);
  }
}
