package io.shopmesh.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis 6.2 server on 127.0.0.1 (the binary shipped by embedded-redis) with an append-only
 * file in {@code dataDir}, so keys survive a restart. Its config and log ({@code redis.conf},
 * {@code redis.log}) sit next to the data directory.
 *
 * <p>The process is run directly rather than through embedded-redis's {@code RedisServer}, which
 * keeps no pid (so it cannot be SIGKILLed), stops draining stdout once started (a chatty server
 * would block on a full pipe) and adds a shutdown hook of its own.
 */
public final class RedisServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path dataDir;
  private final int port;
  private final Path configFile;
  private final Path logFile;
  private Process process;
  private ShutdownSequence.Registration shutdown;

  private RedisServer(Path dataDir, int port) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.port = port;
    this.configFile = this.dataDir.resolveSibling("redis.conf");
    this.logFile = this.dataDir.resolveSibling("redis.log");
  }

  /** Starts Redis on {@code port}, loading whatever {@code dataDir} holds from earlier runs. */
  public static RedisServer start(Path dataDir, int port) {
    RedisServer server = new RedisServer(dataDir, port);
    server.launch();
    return server;
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>} */
  public String url() {
    return "redis://" + HOST + ":" + port;
  }

  /** The server's pid while it runs. */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("Redis on port " + port + " is not running");
    }
    return process.pid();
  }

  /** SIGTERM: Redis flushes its append-only file and exits; data is kept. */
  public synchronized void stop() {
    if (process != null) {
      Processes.terminate(process.toHandle(), STOP_TIMEOUT);
      forget();
    }
  }

  /** Starts again on the same directory and port, stopping first if still running. */
  public synchronized void restart() {
    stop();
    launch();
  }

  /** SIGKILL, as a crash would; writes of the last second may be lost (appendfsync everysec). */
  public synchronized void kill() {
    if (process != null) {
      Processes.kill(process.toHandle());
      forget();
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void launch() {
    // Otherwise the readiness PING could be answered by another Redis on this port.
    Ports.requireFree(port, "redis", "--redis-port");
    try {
      Files.createDirectories(dataDir);
      Files.writeString(configFile, String.join("\n",
          "bind " + HOST,
          "port " + port,
          "dir " + dataDir,
          "appendonly yes",
          "appendfsync everysec",
          "daemonize no",
          ""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Redis data directory " + dataDir, e);
    }
    List<String> command = Processes.detached(List.of(RedisBinary.path().toString(), configFile.toString()));
    try {
      process = new ProcessBuilder(command)
          .directory(dataDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    }
    shutdown = ShutdownSequence.register("redis:" + port, this::stop);
    try {
      Poll.until("Redis on port " + port, START_TIMEOUT, this::ping);
    } catch (RuntimeException e) {
      kill();
      throw new IllegalStateException("Redis did not start on port " + port + ": " + e.getMessage()
          + "\n" + LogTail.explain(logFile), e);
    }
    LOG.info("Redis ready on {}:{} (data in {})", HOST, port, dataDir);
  }

  /** PONG once the data set is loaded; Redis answers -LOADING before that. */
  private Boolean ping() throws IOException {
    if (!process.isAlive()) {
      throw new Poll.GiveUp("redis-server exited with code " + process.exitValue());
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[64];
      int n = in.read(reply);
      return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG") ? Boolean.TRUE : null;
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
