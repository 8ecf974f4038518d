package io.shopmesh.devstack;

import kafka.tools.StorageTool;

/**
 * Entry point of the Kafka child JVM started by {@link KafkaBroker}; not an API.
 * Arguments: {@code [--format <clusterId>] <server.properties>}.
 *
 * <p>Formatting the storage here, in the broker's own JVM, saves starting a second JVM just for
 * StorageTool (about 1.5 s on two cores). The broker exits (through Kafka's own shutdown hook, a
 * clean shutdown) as soon as the JVM that started it is gone, even if that JVM was SIGKILLed and
 * never ran its hooks: a forgotten broker would keep the ports and the log directory's lock.
 */
public final class KafkaBrokerMain {

  /** System property with the pid of the JVM that owns this broker. */
  static final String PARENT_PID = "shopmesh.parent.pid";
  static final String FORMAT = "--format";

  private KafkaBrokerMain() {
  }

  public static void main(String[] args) throws Exception {
    exitWithParent();
    String properties = args[args.length - 1];
    if (args.length == 3 && args[0].equals(FORMAT)) {
      int code = StorageTool.execute(new String[] {"format", "-t", args[1], "-c", properties});
      if (code != 0) {
        System.err.println("formatting the Kafka storage failed with code " + code);
        System.exit(code);
      }
    }
    kafka.Kafka.main(new String[] {properties});
  }

  private static void exitWithParent() {
    String parent = System.getProperty(PARENT_PID);
    if (parent != null) {
      ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
          owner -> owner.onExit().thenRun(() -> System.exit(0)),
          () -> System.exit(0));
    }
  }
}
