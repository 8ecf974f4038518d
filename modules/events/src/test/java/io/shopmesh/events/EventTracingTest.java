package io.shopmesh.events;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.shopmesh.events.inbox.ConsumerSettings;
import io.shopmesh.events.inbox.InboxConsumer;
import io.shopmesh.events.kafka.RecordHeaders;
import io.shopmesh.events.outbox.OutboxRelay;
import io.shopmesh.events.outbox.RelaySettings;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.TracingConfig;
import io.shopmesh.platform.logging.LogContext;
import io.shopmesh.platform.metrics.Metrics;
import io.shopmesh.platform.tracing.Traces;
import io.shopmesh.platform.tracing.Tracing;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.OtlpReceiver;
import io.shopmesh.testkit.OtlpReceiver.ReceivedSpan;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A trace crosses the backbone: outbox envelope, the relay's Kafka send, the consumer and its handler. */
@ExtendWith(InfraExtension.class)
class EventTracingTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private OtlpReceiver otlp;
  private Tracing tracing;
  private Vertx vertx;
  private Pool pool;
  private KafkaConfig kafka;

  @BeforeAll
  static void prepare(TestEnv env) {
    Backbone.prepare(env);
  }

  @BeforeEach
  void setUp(TestEnv env, TestInfo test) {
    otlp = OtlpReceiver.start();
    tracing = Tracing.create("events-test");
    PrometheusMeterRegistry registry = Metrics.registry("events-test");
    vertx = Metrics.vertx(registry, new VertxOptions(), tracing.vertxTracer());
    tracing.configure(new TracingConfig(otlp.endpoint(), 1.0));
    pool = Backbone.freshPool(vertx, env);
    kafka = Backbone.kafka(env, test);
    JsonObject fast = new JsonObject().put("outbox.pollInterval", "200ms").put("consumer.metricsInterval", "200ms");
    vertx.deployVerticle(new OutboxRelay(pool, Backbone.db(env).connectOptions(), kafka,
        RelaySettings.from(Backbone.settings(fast)), registry, "trace-test")).await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    tracing.close(Duration.ofSeconds(5));
    otlp.close();
  }

  @Test
  @DisplayName("an event appended in a traced operation is sent as its child, consumed as the send's child, and its"
      + " handler's queries, log lines and appended events continue the same trace")
  void traceAcrossKafka() {
    Map<String, String> inHandler = new ConcurrentHashMap<>();
    TestHandlers handlers = new TestHandlers("traced").observe(envelope -> {
      LogContext.Scope scope = LogContext.current();
      inHandler.put("traceId", scope.traceId());
      inHandler.put("spanId", scope.spanId());
      inHandler.put("requestId", scope.requestId());
      inHandler.put("traceparent", TraceContext.currentTraceparent());
      return Future.succeededFuture();
    });
    vertx.deployVerticle(new InboxConsumer(pool, kafka, "traced", List.of(Topics.ORDERS), handlers.router(),
        ConsumerSettings.from(Backbone.settings(new JsonObject()), "traced"),
        RelaySettings.from(Backbone.settings(new JsonObject())), Metrics.registry("consumer"))).await();
    Span operation = tracing.openTelemetry().getTracer("test").spanBuilder("place order")
        .setSpanKind(SpanKind.SERVER).startSpan();
    String traceId = operation.getSpanContext().getTraceId();

    Envelope placed = appendWithin(operation, Orders.placed("o-traced"));

    assertThat(placed.traceparent()).as("the envelope names the operation that wrote it")
        .isEqualTo("00-" + traceId + "-" + operation.getSpanContext().getSpanId() + "-01");
    await().atMost(DEADLINE).until(() -> inHandler.containsKey("spanId"));
    List<ReceivedSpan> trace = await().atMost(DEADLINE).until(() -> otlp.trace(traceId),
        spans -> spans.stream().anyMatch(s -> s.kind().equals("CONSUMER"))
            && spans.stream().anyMatch(s -> s.kind().equals("PRODUCER")));
    ReceivedSpan send = trace.stream().filter(s -> s.kind().equals("PRODUCER")).findFirst().orElseThrow();
    ReceivedSpan consume = trace.stream().filter(s -> s.kind().equals("CONSUMER")).findFirst().orElseThrow();
    assertThat(send.parentSpanId()).as("the send is a child of the operation")
        .isEqualTo(operation.getSpanContext().getSpanId());
    assertThat(send.attributes()).containsEntry("messaging.destination.name", kafka.topic(Topics.ORDERS));
    assertThat(consume.parentSpanId()).as("the consumer continues from the send").isEqualTo(send.spanId());
    assertThat(consume.name()).isEqualTo("process " + kafka.topic(Topics.ORDERS));
    assertThat(consume.attributes()).containsEntry("messaging.message.id", placed.id().toString())
        .containsEntry("messaging.consumer.group.name", "traced");
    assertThat(trace).as("the handler's queries").anyMatch(s -> s.parentSpanId().equals(consume.spanId())
        && s.attributes().containsKey("db.system"));

    assertThat(inHandler).containsEntry("traceId", traceId).containsEntry("spanId", consume.spanId())
        .containsEntry("requestId", "event-" + placed.id())
        .containsEntry("traceparent", "00-" + traceId + "-" + consume.spanId() + "-01");
    ConsumerRecord<String, String> record = KafkaTestClient.readAll(kafka.bootstrap(), kafka.topic(Topics.ORDERS))
        .get(0);
    assertThat(RecordHeaders.text(record.headers(), RecordHeaders.TRACEPARENT)).as("the record's header")
        .isEqualTo("00-" + traceId + "-" + send.spanId() + "-01");
    assertThat(record.headers().headers(RecordHeaders.TRACEPARENT)).hasSize(1);
  }

  /** Appends {@code event} in a transaction run while {@code operation} is the current span. */
  private Envelope appendWithin(Span operation, DomainEvent event) {
    Outbox outbox = new Outbox(kafka);
    ContextInternal context = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    Promise<Envelope> appended = Promise.promise();
    context.runOnContext(v -> {
      Traces.attach(Context.root().with(operation));
      pool.withTransaction(tx -> outbox.append(tx, event)).onComplete(appended);
    });
    Envelope envelope = appended.future().await();
    operation.end();
    return envelope;
  }
}
