package io.shopmesh.testkit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP trace receiver held in memory, the test's stand-in for an OpenTelemetry collector:
 * services (in-process or as processes) export to {@link #endpoint()}, tests read {@link #spans()}.
 * Only protobuf bodies are accepted ({@code POST /v1/traces}), as the Java exporter sends them.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** One exported span, with the {@code service.name} of the process that ended it. */
  public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
                             String kind, Map<String, String> attributes) {

    public boolean isRoot() {
      return parentSpanId.isEmpty();
    }
  }

  private static final HexFormat HEX = HexFormat.of();

  private final Vertx vertx = Vertx.vertx();
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private OtlpReceiver() {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await();
  }

  public static OtlpReceiver start() {
    return new OtlpReceiver();
  }

  /** The base URL to configure as {@code tracing.otlpEndpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Every span received so far, in arrival order. */
  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The spans of one trace. */
  public List<ReceivedSpan> trace(String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().equals("/v1/traces")) {
      request.response().setStatusCode(404).end();
      return;
    }
    request.body().onSuccess(body -> {
      try {
        accept(ExportTraceServiceRequest.parseFrom(body.getBytes()));
        request.response().putHeader("Content-Type", "application/x-protobuf")
            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      } catch (InvalidProtocolBufferException e) {
        request.response().setStatusCode(400).end(e.getMessage());
      }
    });
  }

  private void accept(ExportTraceServiceRequest export) {
    for (ResourceSpans resourceSpans : export.getResourceSpansList()) {
      String service = attributes(resourceSpans.getResource()).getOrDefault("service.name", "");
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
          spans.add(new ReceivedSpan(service, hex(span.getTraceId()), hex(span.getSpanId()),
              hex(span.getParentSpanId()), span.getName(), span.getKind().name().replace("SPAN_KIND_", ""),
              attributes(span.getAttributesList())));
        }
      }
    }
  }

  private static Map<String, String> attributes(Resource resource) {
    return attributes(resource.getAttributesList());
  }

  private static Map<String, String> attributes(List<KeyValue> values) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach(kv -> out.put(kv.getKey(), kv.getValue().hasStringValue() ? kv.getValue().getStringValue()
        : kv.getValue().toString().trim()));
    return out;
  }

  private static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }
}
