package io.shopmesh.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Shopmesh service as its own JVM ({@code java <jvmFlags> -jar <jar> --conf <yaml>}), supervised
 * the way systemd would: when it dies without being asked to, it is started again after a
 * {@link Backoff}. stdout and stderr are appended to the spec's log file.
 */
public final class ServiceProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  /** A service that crashes this often while awaited will not become ready by waiting longer. */
  private static final int CRASHES_BEFORE_GIVING_UP = 3;
  private static final ScheduledExecutorService RESTARTS = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "shopmesh-supervisor");
    thread.setDaemon(true);
    return thread;
  });
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final ServiceSpec spec;
  private final ClassArchive archive;
  private final Backoff backoff = new Backoff();
  private Process process;
  private long startedAt;
  private int restarts;
  private boolean stopping;
  private ScheduledFuture<?> pendingRestart;
  private ShutdownSequence.Registration shutdown;

  private ServiceProcess(ServiceSpec spec) {
    this.spec = spec;
    this.archive = spec.classArchives() == null ? null
        : new ClassArchive(spec.classArchives(), spec.name(), spec.jar());
  }

  /** Starts the service and returns at once; see {@link #awaitReady}. */
  public static ServiceProcess start(ServiceSpec spec) {
    ServiceProcess service = new ServiceProcess(spec);
    synchronized (service) {
      service.launch();
      service.shutdown = ShutdownSequence.register(spec.name(), service::stop);
    }
    return service;
  }

  public String name() {
    return spec.name();
  }

  /** How the service is launched (jar, configuration, flags, environment, log). */
  public ServiceSpec spec() {
    return spec;
  }

  /** The pid of the service's current JVM (it changes when the supervisor restarts it). */
  public synchronized long pid() {
    return process.pid();
  }

  public synchronized boolean isAlive() {
    return process.isAlive();
  }

  /** How many times the supervisor has restarted the service. */
  public synchronized int restarts() {
    return restarts;
  }

  /**
   * Polls {@code healthReadyUrl} until it answers 200. Fails after {@code timeout}, or sooner if the
   * service keeps crashing, with the end of its log.
   */
  public void awaitReady(URI healthReadyUrl, Duration timeout) {
    HttpRequest request = HttpRequest.newBuilder(healthReadyUrl).timeout(Duration.ofSeconds(2)).GET().build();
    int restartsBefore = restarts();
    try {
      Poll.until(spec.name() + " at " + healthReadyUrl, timeout, () -> {
        if (restarts() - restartsBefore >= CRASHES_BEFORE_GIVING_UP) {
          throw new Poll.GiveUp(spec.name() + " keeps exiting (" + CRASHES_BEFORE_GIVING_UP
              + " restarts while starting)");
        }
        int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
          throw new IllegalStateException("HTTP " + status);
        }
        return Boolean.TRUE;
      });
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\n" + LogTail.explain(spec.logFile()), e);
    }
  }

  /**
   * SIGTERM (the service drains and exits), SIGKILL after 30 s; it is not restarted.
   *
   * @return the exit code: 0 after a clean drain, 137 when it had to be killed
   */
  public int stop() {
    Process current;
    synchronized (this) {
      if (stopping) {
        return process.isAlive() ? -1 : process.exitValue();
      }
      stopping = true;
      if (pendingRestart != null) {
        pendingRestart.cancel(false);
      }
      shutdown.cancel();
      current = process;
    }
    Processes.terminate(current.toHandle(), STOP_TIMEOUT);
    try {
      return current.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Starts a {@link #stop() stopped} service again, as an operator would; see {@link #awaitReady}. */
  public synchronized void startAgain() {
    if (!stopping) {
      throw new IllegalStateException(spec.name() + " is running; stop it first");
    }
    stopping = false;
    launch();
    shutdown = ShutdownSequence.register(spec.name(), this::stop);
  }

  /** SIGKILL, as the OOM killer would; the supervisor restarts the service after its backoff. */
  public void kill() {
    Process current;
    synchronized (this) {
      current = process;
    }
    Processes.kill(current.toHandle());
  }

  @Override
  public void close() {
    stop();
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(Processes.javaBinary());
    command.addAll(spec.jvmFlags());
    ClassArchive.Launch classes = archive == null ? null : archive.launch();
    if (classes != null) {
      command.addAll(classes.flags());
    }
    command.addAll(List.of("-jar", spec.jar().toString(), "--conf", spec.conf().toString()));
    try {
      Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
      ProcessBuilder builder = new ProcessBuilder(Processes.detached(command))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
      builder.environment().putAll(spec.env());
      process = builder.start();
    } catch (IOException e) {
      if (classes != null) {
        archive.exited(classes, -1);
      }
      throw new UncheckedIOException("cannot start " + spec.name() + ": " + e.getMessage(), e);
    }
    startedAt = System.nanoTime();
    process.onExit().thenAccept(which -> {
      if (classes != null) {
        archive.exited(classes, which.exitValue());
      }
      exited(which);
    });
  }

  private synchronized void exited(Process which) {
    if (!stopping && which == process) {
      scheduleRestart(spec.name() + " exited with code " + which.exitValue());
    }
  }

  private void scheduleRestart(String reason) {
    Duration delay = backoff.after(Duration.ofNanos(System.nanoTime() - startedAt));
    LOG.warn("{}; restarting in {} s", reason, delay.toSeconds());
    pendingRestart = RESTARTS.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void restart() {
    if (stopping) {
      return;
    }
    restarts++;
    try {
      launch();
    } catch (UncheckedIOException e) {
      scheduleRestart(e.getMessage());
    }
  }
}
