package io.shopmesh.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka 3.7 broker in KRaft mode (broker and controller in one node), running as a child
 * JVM so that tests can SIGKILL it. Data lives in {@code dataDir}; the broker's log and
 * server.properties ({@code kafka.log}, {@code kafka-server.properties}) sit next to it.
 *
 * <p>The child uses this JVM's class path, which carries kafka_2.13, and exits on its own when this
 * JVM dies.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> JVM_FLAGS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
      "-Djava.awt.headless=true", "-Dlogback.configurationFile=io/shopmesh/devstack/kafka-logback.xml");

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final Path propertiesFile;
  private final Path logFile;
  private Process process;
  private ShutdownSequence.Registration shutdown;

  private KafkaBroker(Path dataDir, int port, int controllerPort) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.port = port;
    this.controllerPort = controllerPort;
    this.propertiesFile = this.dataDir.resolveSibling("kafka-server.properties");
    this.logFile = this.dataDir.resolveSibling("kafka.log");
  }

  /**
   * Starts the broker (formatting {@code dataDir} first if it was never formatted) and returns once
   * it answers {@code describeCluster} with a node.
   */
  public static KafkaBroker start(Path dataDir, int port, int controllerPort) {
    KafkaBroker broker = new KafkaBroker(dataDir, port, controllerPort);
    broker.launch();
    return broker;
  }

  /** {@code 127.0.0.1:<port>} */
  public String bootstrap() {
    return HOST + ":" + port;
  }

  /** The broker JVM's pid while it runs. */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("Kafka on port " + port + " is not running");
    }
    return process.pid();
  }

  /** SIGTERM (a controlled shutdown), SIGKILL if still running after 30 s. Data is kept. */
  public synchronized void stop() {
    if (process != null) {
      Processes.terminate(process.toHandle(), STOP_TIMEOUT);
      forget();
      LOG.info("Kafka on port {} stopped", port);
    }
  }

  /** Starts again on the same directory and ports, stopping first if still running. */
  public synchronized void restart() {
    stop();
    launch();
  }

  /** SIGKILL, as a crash would; the next start recovers the logs. */
  public synchronized void kill() {
    if (process != null) {
      Processes.kill(process.toHandle());
      forget();
      LOG.info("Kafka on port {} killed", port);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void launch() {
    Ports.requireFree(port, "kafka", "--kafka-port");
    Ports.requireFree(controllerPort, "kafka controller", "--kafka-controller-port");
    KafkaServerProperties.write(propertiesFile, dataDir, port, controllerPort);
    process = spawn();
    shutdown = ShutdownSequence.register("kafka:" + port, this::stop);
    try {
      Poll.until("Kafka on " + bootstrap(), START_TIMEOUT, () -> {
        if (!process.isAlive()) {
          throw new Poll.GiveUp("the broker JVM exited with code " + process.exitValue());
        }
        return KafkaProbe.hasNode(HOST, port) ? Boolean.TRUE : null;
      });
    } catch (RuntimeException e) {
      kill();
      throw new IllegalStateException("Kafka did not start on " + bootstrap() + ": " + e.getMessage()
          + "\n" + LogTail.explain(logFile), e);
    }
    LOG.info("Kafka ready on {} (data in {})", bootstrap(), dataDir);
  }

  /** The broker JVM; it formats the storage first if the directory was never formatted. */
  private Process spawn() {
    List<String> command = new ArrayList<>();
    command.add(Processes.javaBinary());
    command.addAll(JVM_FLAGS);
    command.add("-D" + KafkaBrokerMain.PARENT_PID + "=" + ProcessHandle.current().pid());
    command.addAll(List.of("-cp", Processes.classPath(), KafkaBrokerMain.class.getName()));
    if (!Files.exists(dataDir.resolve("meta.properties"))) {
      command.addAll(List.of(KafkaBrokerMain.FORMAT, Uuid.randomUuid().toString()));
    }
    command.add(propertiesFile.toString());
    try {
      return new ProcessBuilder(Processes.detached(command))
          .directory(dataDir.getParent().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kafka JVM", e);
    }
  }

  private void forget() {
    process = null;
    if (shutdown != null) {
      shutdown.cancel();
      shutdown = null;
    }
  }
}
