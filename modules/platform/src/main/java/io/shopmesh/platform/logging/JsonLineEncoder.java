package io.shopmesh.platform.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes each log event as one JSON line: {@code ts, level, service, logger, thread, message},
 * the correlation ids of the Vert.x context that logged it ({@code requestId, traceId, spanId}),
 * MDC entries of non-Vert.x threads, SLF4J key-value pairs ({@code LOG.atInfo().addKeyValue(..)}),
 * and {@code error} with the stack trace.
 *
 * <p>The ids are read while encoding from the logging Vert.x context when the appender is
 * synchronous; behind {@link ContextAsyncAppender} they arrive as key-value pairs captured before
 * the event was queued. A field is written once: the first value of a name wins.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

  private static final byte[] NOTHING = new byte[0];
  private final JsonFactory json = new JsonFactory();

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    Set<String> written = new HashSet<>(8);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      writeIfPresent(g, "service", System.getProperty("shopmesh.service"));
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      g.writeStringField("message", event.getFormattedMessage());
      LogContext.Scope scope = LogContext.current();
      writeOnce(g, written, "requestId", scope.requestId());
      writeOnce(g, written, "traceId", scope.traceId());
      writeOnce(g, written, "spanId", scope.spanId());
      for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
        writeOnce(g, written, e.getKey(), e.getValue());
      }
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair pair : event.getKeyValuePairs()) {
          if (pair.value instanceof Number number) {
            if (written.add(pair.key)) {
              g.writeFieldName(pair.key);
              g.writeNumber(number.toString());
            }
          } else {
            writeOnce(g, written, pair.key, pair.value == null ? null : pair.value.toString());
          }
        }
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        g.writeStringField("error", ThrowableProxyUtil.asString(error));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void writeOnce(JsonGenerator g, Set<String> written, String field, String value)
      throws IOException {
    if (value != null && written.add(field)) {
      g.writeStringField(field, value);
    }
  }

  private static void writeIfPresent(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }
}
