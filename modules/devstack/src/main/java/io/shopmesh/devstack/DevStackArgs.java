package io.shopmesh.devstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses {@code dev [--fresh] [--infra-only] [--root DIR] [--data DIR] [--<x>-port N]...} into options. */
final class DevStackArgs {

  static final String USAGE = "usage: shopmesh dev [--fresh] [--infra-only] [--root DIR] [--data DIR]"
      + " [--gateway-port N] [--users-port N] [--orders-port N] [--inventory-port N] [--pg-port N]"
      + " [--redis-port N] [--kafka-port N] [--kafka-controller-port N] | --help";

  /** What the command line asks for: help, or a stack to run. */
  record Parsed(boolean help, DevStackOptions options) {
  }

  /** A command line that cannot be understood; the message says what is wrong, then the usage line. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String problem) {
      super(problem + "\n" + USAGE);
    }
  }

  private DevStackArgs() {
  }

  static Parsed parse(String[] args, DevStackOptions defaults) {
    if (args.length > 0 && isHelp(args[0])) {
      return new Parsed(true, defaults);
    }
    if (args.length == 0 || !args[0].equals("dev")) {
      throw new UsageException(args.length == 0 ? "missing command: dev" : "unknown command: " + args[0]);
    }
    Path root = defaults.root();
    Path data = defaults.dataDir();
    boolean fresh = false;
    boolean infraOnly = false;
    Map<String, Integer> ports = ports(defaults);
    for (int i = 1; i < args.length; i++) {
      String flag = args[i];
      if (isHelp(flag)) {
        return new Parsed(true, defaults);
      } else if (flag.equals("--fresh")) {
        fresh = true;
      } else if (flag.equals("--infra-only")) {
        infraOnly = true;
      } else if (flag.equals("--root")) {
        root = Path.of(value(args, ++i, flag));
      } else if (flag.equals("--data")) {
        data = Path.of(value(args, ++i, flag));
      } else if (ports.containsKey(flag)) {
        ports.put(flag, port(value(args, ++i, flag), flag));
      } else {
        throw new UsageException("unknown option: " + flag);
      }
    }
    return new Parsed(false, new DevStackOptions(root, data, fresh,
        ports.get("--gateway-port"), ports.get("--users-port"), ports.get("--orders-port"),
        ports.get("--inventory-port"), ports.get("--pg-port"), ports.get("--redis-port"),
        ports.get("--kafka-port"), ports.get("--kafka-controller-port"), infraOnly));
  }

  private static Map<String, Integer> ports(DevStackOptions d) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("--gateway-port", d.gatewayPort());
    ports.put("--users-port", d.usersPort());
    ports.put("--orders-port", d.ordersPort());
    ports.put("--inventory-port", d.inventoryPort());
    ports.put("--pg-port", d.pgPort());
    ports.put("--redis-port", d.redisPort());
    ports.put("--kafka-port", d.kafkaPort());
    ports.put("--kafka-controller-port", d.kafkaControllerPort());
    return ports;
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new UsageException(flag + " needs a value");
    }
    return args[index];
  }

  private static int port(String value, String flag) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below, like an out-of-range number
    }
    throw new UsageException(flag + " needs a port number between 1 and 65535, not '" + value + "'");
  }
}
