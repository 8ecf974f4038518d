package io.shopmesh.platform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JVM child process running a main class of this test classpath, with its output captured. */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Object newOutput = new Object();
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final List<Thread> pumps = new ArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    pumps.add(pump(process.getInputStream(), stdout));
    pumps.add(pump(process.getErrorStream(), stderr));
  }

  public static ChildJvm start(Class<?> main, List<String> args, Map<String, String> env, Map<String, String> sysProps)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx128m");
    // a child killed by its test cannot remove its Vert.x file cache: under target/, not the machine's /tmp
    command.add("-Dvertx.cacheDirBase=" + Path.of("target", "child-jvms", "vertx-cache").toAbsolutePath());
    sysProps.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("SHOPMESH_"));
    builder.environment().putAll(env);
    return new ChildJvm(builder.start());
  }

  /** Waits for a stdout line matching {@code condition}; fails with the output seen so far. */
  public String awaitStdout(Predicate<String> condition, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    synchronized (newOutput) {
      while (true) {
        for (String line : stdout) {
          if (condition.test(line)) {
            return line;
          }
        }
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0 || !process.isAlive()) {
          throw new AssertionError("expected output did not appear; stdout=" + stdout + " stderr=" + stderr);
        }
        newOutput.wait(Math.min(left, 200));
      }
    }
  }

  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process did not exit within " + timeout + "; stdout=" + stdout);
    }
    for (Thread pump : pumps) {
      pump.join(timeout.toMillis());
    }
    return process.exitValue();
  }

  /** Sends SIGTERM. */
  public void terminate() {
    process.toHandle().destroy();
  }

  public List<String> stdout() {
    return stdout;
  }

  public List<String> stderr() {
    return stderr;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private Thread pump(InputStream in, List<String> sink) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          sink.add(line);
          synchronized (newOutput) {
            newOutput.notifyAll();
          }
        }
      } catch (IOException e) {
        sink.add("<output closed: " + e + ">");
      }
    });
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
