package io.shopmesh.bench.procs;

import io.shopmesh.devstack.Poll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process of the benchmark's setup (a service jar, a stand-in, nginx), with its output in a log file. */
public final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("SHOPMESH_"));
    builder.environment().putAll(env);
    try {
      return new ChildProcess(name, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** A JVM running {@code mainClass} of this benchmark's own class path. */
  public static ChildProcess java(String name, List<String> jvmFlags, String mainClass, List<String> args,
                                  Map<String, String> env, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return start(name, command, env, log);
  }

  /** Waits until {@code url} answers 200. */
  public ChildProcess awaitHttp(String url, Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Poll.until(name + " at " + url, timeout, () -> {
      if (!process.isAlive()) {
        throw new Poll.GiveUp(name + " exited with code " + process.exitValue() + " before it answered");
      }
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200 ? Boolean.TRUE : null;
    });
    return this;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.toHandle().destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
