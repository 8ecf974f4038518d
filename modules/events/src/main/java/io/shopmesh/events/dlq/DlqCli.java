package io.shopmesh.events.dlq;

import ch.qos.logback.classic.Level;
import io.shopmesh.platform.config.KafkaConfig;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Operator command for dead letters, runnable from any service jar:
 * <pre>
 * java -cp &lt;service&gt;.jar io.shopmesh.events.dlq.DlqCli list &lt;topic&gt; [--limit N] [--bootstrap host:port] [--prefix p]
 * java -cp &lt;service&gt;.jar io.shopmesh.events.dlq.DlqCli replay &lt;topic&gt; [--id ID] [--bootstrap host:port] [--prefix p]
 * </pre>
 * Without {@code --bootstrap} the broker of the running dev stack is used ({@code kafka.bootstrap}
 * in {@code .shopmesh/endpoints.json}, looked up from the current directory upwards).
 * Exit codes: 0 done, 1 failed, 2 bad usage.
 */
public final class DlqCli {

  private static final String USAGE = """
      usage: dlq list <topic> [--limit N] [--bootstrap host:port] [--prefix p]
             dlq replay <topic> [--id EVENT_ID] [--bootstrap host:port] [--prefix p]
      <topic> is an event topic such as orders.events; list shows the newest N dead letters (100, at most 1000)""";

  private DlqCli() {
  }

  public static void main(String[] args) {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    String command = rest.poll();
    String topic = rest.poll();
    String bootstrap = null;
    String prefix = "";
    String id = null;
    String limit = null;
    while (!rest.isEmpty()) {
      String option = rest.poll();
      String value = rest.poll();
      if (value == null) {
        return usage(err, "missing value after " + option);
      }
      switch (option) {
        case "--bootstrap" -> bootstrap = value;
        case "--prefix" -> prefix = value;
        case "--id" -> id = value;
        case "--limit" -> limit = value;
        default -> {
          return usage(err, "unknown option " + option);
        }
      }
    }
    if (command == null || topic == null || !(command.equals("list") || command.equals("replay"))) {
      return usage(err, command == null ? "missing command" : "expected list or replay and a topic");
    }
    if (command.equals("list") && id != null) {
      return usage(err, "--id applies to replay only");
    }
    if (command.equals("replay") && limit != null) {
      return usage(err, "--limit applies to list only");
    }
    int newest = DeadLetters.listLimit(limit);
    if (newest == 0) {
      return usage(err, "--limit takes a whole number from 1 to " + DeadLetters.MAX_LISTED + ", not " + limit);
    }
    try {
      if (bootstrap == null) {
        bootstrap = devStackBootstrap(Path.of("").toAbsolutePath());
      }
      DeadLetters deadLetters = new DeadLetters(new KafkaConfig(bootstrap, prefix));
      if (command.equals("list")) {
        print(deadLetters.list(topic, newest), out);
      } else {
        int n = deadLetters.replay(topic, id);
        out.println("replayed " + n + " dead letter" + (n == 1 ? "" : "s") + " into " + prefix + topic);
      }
      return 0;
    } catch (IllegalArgumentException | NoSuchElementException | IllegalStateException e) {
      err.println("dlq: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println("dlq: " + e);
      return 1;
    }
  }

  private static void print(DeadLetters.Listing listing, PrintStream out) {
    List<DeadLetter> letters = listing.newest();
    String format = "%-36s  %-16s  %-36s  %-20s  %8s  %-24s  %-12s  %s%n";
    out.printf(format, "EVENT ID", "TYPE", "AGGREGATE", "CONSUMER", "ATTEMPTS", "FAILED AT", "ORIGIN", "ERROR");
    for (DeadLetter d : letters) {
      out.printf(format, dash(d.eventId()), dash(d.type()), dash(d.aggregateId()), dash(d.consumer()), d.attempts(),
          dash(d.failedAt()), d.originalPartition() + "@" + d.originalOffset(), dash(d.error()));
    }
    out.println(listing.total() + " dead letter" + (listing.total() == 1 ? "" : "s")
        + (letters.size() < listing.total() ? ", the newest " + letters.size() + " shown (--limit)" : ""));
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }

  /** {@code kafka.bootstrap} from the nearest {@code .shopmesh/endpoints.json} at or above {@code dir}. */
  static String devStackBootstrap(Path dir) {
    for (Path d = dir; d != null; d = d.getParent()) {
      Path file = d.resolve(".shopmesh").resolve("endpoints.json");
      if (Files.isRegularFile(file)) {
        try {
          String bootstrap = new JsonObject(Files.readString(file)).getJsonObject("kafka", new JsonObject())
              .getString("bootstrap");
          if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalStateException(file + " has no kafka.bootstrap");
          }
          return bootstrap;
        } catch (IOException | RuntimeException e) {
          throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
      }
    }
    throw new IllegalStateException("no --bootstrap given and no .shopmesh/endpoints.json found"
        + " (is './shopmesh dev' running?)");
  }

  private static int usage(PrintStream err, String problem) {
    err.println("dlq: " + problem);
    err.println(USAGE);
    return 2;
  }
}
