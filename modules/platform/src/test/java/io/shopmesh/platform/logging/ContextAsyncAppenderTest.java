package io.shopmesh.platform.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
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

  private Logger asyncLogger() {
    logging.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(logging);
    encoder.start();
    OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> sink = new OutputStreamAppender<>();
    sink.setContext(logging);
    sink.setEncoder(encoder);
    sink.setOutputStream(out);
    sink.start();
    ContextAsyncAppender async = new ContextAsyncAppender();
    async.setContext(logging);
    async.setNeverBlock(true);
    async.addAppender(sink);
    async.start();
    Logger logger = logging.getLogger("test");
    logger.addAppender(async);
    logger.setAdditive(false);
    return logger;
  }
}
