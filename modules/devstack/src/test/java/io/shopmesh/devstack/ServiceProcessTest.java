package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ServiceProcessTest {

  @TempDir
  Path dir;
  private final ListAppender<ILoggingEvent> supervisorLog = new ListAppender<>();
  private ServiceProcess service;
  private URI ready;

  @BeforeEach
  void watchSupervisorLog() {
    supervisorLog.start();
    ((Logger) LoggerFactory.getLogger(ServiceProcess.class)).addAppender(supervisorLog);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(ServiceProcess.class)).detachAppender(supervisorLog);
    if (service != null) {
      service.stop();
    }
  }

  @Test
  @DisplayName("a service that exits on its own is restarted after 1 s; stop() ends it for good")
  void restartsAfterCrashButNotAfterStop() throws Exception {
    service = startFlaky();

    service.awaitReady(ready, Duration.ofSeconds(30));

    assertThat(service.restarts()).isEqualTo(1);
    assertThat(messages()).contains("flaky exited with code 3; restarting in 1 s");
    assertThat(Files.readString(dir.resolve("logs/flaky.log")))
        .contains("failing once").contains("up with --conf " + dir.resolve("flaky.yaml"));

    long pid = service.pid();
    service.stop();

    assertThat(ProcessHandle.of(pid).filter(Processes::isRunning)).isEmpty();
    assertThat(service.isAlive()).isFalse();
    assertThat(service.restarts()).isEqualTo(1);
    assertThat(messages()).hasSize(1);
  }

  @Test
  @DisplayName("a SIGKILLed service comes back with a new pid")
  void restartsAfterKill() throws Exception {
    Files.createFile(dir.resolve("marker"));
    service = startFlaky();
    service.awaitReady(ready, Duration.ofSeconds(30));
    long first = service.pid();

    service.kill();

    Poll.until("a new flaky JVM", Duration.ofSeconds(30), () -> service.pid() != first ? Boolean.TRUE : null);
    service.awaitReady(ready, Duration.ofSeconds(30));
    assertThat(service.restarts()).isEqualTo(1);
    assertThat(messages()).contains("flaky exited with code 137; restarting in 1 s");
  }

  @Test
  @DisplayName("a clean stop leaves a class data archive that the next start maps; a killed run leaves none")
  void classArchive() throws Exception {
    Files.createFile(dir.resolve("marker"));
    Path archives = dir.resolve("cds");
    Path archive = archives.resolve("flaky.jsa");
    service = startFlaky(archives);
    service.awaitReady(ready, Duration.ofSeconds(30));
    assertThat(arguments(service.pid())).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=" + archives));

    service.kill();
    Poll.until("a restarted flaky JVM", Duration.ofSeconds(30), () -> service.isAlive() ? Boolean.TRUE : null);
    service.awaitReady(ready, Duration.ofSeconds(30));
    assertThat(archive).doesNotExist();

    assertThat(service.stop()).isZero();
    Poll.until("the archive in place", Duration.ofSeconds(10),
        () -> Files.isRegularFile(archive) ? Boolean.TRUE : null);
    try (var files = Files.list(archives)) {
      assertThat(files).as("no partial archive left").containsExactly(archive);
    }

    service.startAgain();
    service.awaitReady(ready, Duration.ofSeconds(30));
    assertThat(arguments(service.pid())).contains("-XX:SharedArchiveFile=" + archive)
        .noneMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit"));
  }

  private ServiceProcess startFlaky() throws Exception {
    return startFlaky(null);
  }

  private ServiceProcess startFlaky(Path classArchives) throws Exception {
    int port = Ports.freePort();
    ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
    return ServiceProcess.start(new ServiceSpec("flaky", TestJars.runnable(FlakyService.class, dir),
        dir.resolve("flaky.yaml"), List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            // the killed JVMs' file caches go with the test's directory
            "-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache")),
        Map.of("FLAKY_MARKER", dir.resolve("marker").toString(), "SHOPMESH_HTTP_PORT", Integer.toString(port)),
        dir.resolve("logs/flaky.log"), classArchives));
  }

  private static List<String> arguments(long pid) throws Exception {
    return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
  }

  private List<String> messages() {
    return supervisorLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
