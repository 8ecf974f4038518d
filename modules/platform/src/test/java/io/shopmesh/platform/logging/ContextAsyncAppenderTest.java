package io.shopmesh.platform.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Lines logged on an event loop are written by the appender's thread and still carry the loop's ids. */
class ContextAsyncAppenderTest {

  private final Vertx vertx = Vertx.vertx();
  private final LoggerContext logging = new LoggerContext();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    logging.stop();
    vertx.close().await();
  }

  @Test
  @DisplayName("an event logged from a request's Vert.x context is encoded on another thread with that request's"
      + " ids, each field once")
  void carriesIdsAcrossThreads() {
    Logger logger = asyncLogger();
    Context context = vertx.getOrCreateContext();

    context.runOnContext(v -> {
      LogContext.put(Vertx.currentContext(), new LogContext.Scope("req-1", "4bf92f3577b34da6a3ce929d0e0e4736",
          "00f067aa0ba902b7"));
      logger.atInfo().addKeyValue("requestId", "req-1").addKeyValue("status", 200).log("access");
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).endsWith("\n"));

    String line = out.toString(StandardCharsets.UTF_8).trim();
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("message")).isEqualTo("access");
    assertThat(json.getString("requestId")).isEqualTo("req-1");
    assertThat(json.getString("traceId")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(json.getString("spanId")).isEqualTo("00f067aa0ba902b7");
    assertThat(json.getInteger("status")).isEqualTo(200);
    assertThat(line.split("\"requestId\"", -1)).as("requestId written once").hasSize(2);
    assertThat(json.getString("thread")).as("the logging thread is reported").startsWith("vert.x-eventloop");
  }

  @Test
  @DisplayName("every event from several threads is written, each thread's in order, and stop() writes what is"
      + " still queued (blocking mode, no discarding, a queue much smaller than the burst)")
  void writesEverythingAndFlushesOnStop() throws Exception {
    ContextAsyncAppender async = new ContextAsyncAppender();
    async.setQueueSize(64);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(false);
    Logger logger = attach(async, jsonSink());
    int perThread = 5_000;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          logger.info("t{} n{}", id, i);
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    async.stop();

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(4 * perThread);
    for (int t = 0; t < 4; t++) {
      String prefix = "t" + t + " ";
      List<Integer> seen = lines.stream().map(l -> new JsonObject(l).getString("message"))
          .filter(m -> m.startsWith(prefix)).map(m -> Integer.parseInt(m.substring(prefix.length() + 1))).toList();
      assertThat(seen).as("thread %d's events in order", t).isSorted().hasSize(perThread);
    }
  }

  @Test
  @DisplayName("with neverBlock a full queue drops the event instead of making the logging thread wait")
  void fullQueueDropsWithNeverBlock() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> written = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> stuck = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        writing.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        written.add(event.getFormattedMessage());
      }
    };
    stuck.setContext(logging);
    stuck.start();
    ContextAsyncAppender async = new ContextAsyncAppender();
    async.setQueueSize(4);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    Logger logger = attach(async, stuck);

    logger.info("first");
    assertThat(writing.await(10, TimeUnit.SECONDS)).as("the worker took the first event").isTrue();
    // the worker is stuck writing "first": four more fit in the queue, the other six are dropped
    for (int i = 0; i < 10; i++) {
      logger.info("more {}", i);
    }
    release.countDown();
    async.stop();

    assertThat(written).containsExactly("first", "more 0", "more 1", "more 2", "more 3");
  }

  @Test
  @DisplayName("an idle appender's thread sleeps without a timer, and the next event wakes it")
  void idleWorkerSleepsUntilWoken() {
    ContextAsyncAppender async = new ContextAsyncAppender();
    async.setName("idle-test");
    async.setNeverBlock(true);
    Logger logger = attach(async, jsonSink());
    Thread worker = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("AsyncAppender-Worker-idle-test")).findFirst().orElseThrow();

    for (int round = 1; round <= 3; round++) {
      logger.info("event {}", round);
      int expected = round;
      await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).lines().count() == expected);
      // after the batch pause finds nothing more, the thread waits untimed (no wake-ups while idle)
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.getState() == Thread.State.WAITING);
    }
  }

  private Logger asyncLogger() {
    ContextAsyncAppender async = new ContextAsyncAppender();
    async.setNeverBlock(true);
    return attach(async, jsonSink());
  }

  private Appender<ILoggingEvent> jsonSink() {
    logging.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(logging);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> sink = new OutputStreamAppender<>();
    sink.setContext(logging);
    sink.setEncoder(encoder);
    sink.setOutputStream(out);
    sink.start();
    return sink;
  }

  private Logger attach(ContextAsyncAppender async, Appender<ILoggingEvent> sink) {
    if (logging.getMDCAdapter() == null) {
      logging.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    }
    async.setContext(logging);
    async.addAppender(sink);
    async.start();
    assertThat(async.isStarted()).isTrue();
    Logger logger = logging.getLogger("test");
    logger.addAppender(async);
    logger.setAdditive(false);
    return logger;
  }
}
