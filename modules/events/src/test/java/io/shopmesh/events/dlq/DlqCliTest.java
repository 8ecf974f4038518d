package io.shopmesh.events.dlq;

import io.shopmesh.events.Envelope;
import io.shopmesh.events.KafkaTestClient;
import io.shopmesh.events.KafkaTestClient.Raw;
import io.shopmesh.events.Orders;
import io.shopmesh.events.Topics;
import io.shopmesh.events.kafka.KafkaTopics;
import io.shopmesh.events.kafka.RecordHeaders;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith({VertxExtension.class, InfraExtension.class})
class DlqCliTest {

  @Test
  @DisplayName("the operator command lists the dead letters of a topic and replays one by id into the topic")
  void listAndReplay(Vertx vertx, TestEnv env) {
    KafkaConfig kafka = new KafkaConfig(env.kafkaBootstrap(), env.topicPrefix());
    KafkaTopics.ensure(vertx, kafka, KafkaTopics.eventTopics(kafka), 3, (short) 1).await();
    Envelope dead = Envelope.of(Orders.placed("o-dead"), null);
    Envelope other = Envelope.of(Orders.placed("o-other"), null);
    KafkaTestClient.produce(kafka.bootstrap(), kafka.topic(Topics.deadLetters(Topics.ORDERS)), 2, List.of(
        deadLetter(dead, "inventory", "IllegalStateException: no such sku"),
        deadLetter(other, "inventory", "IllegalStateException: boom")));
    String[] where = {"--bootstrap", kafka.bootstrap(), "--prefix", kafka.topicPrefix()};

    Result list = run("list", Topics.ORDERS, where[0], where[1], where[2], where[3]);
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains(dead.id().toString(), "o-dead", "inventory", "no such sku", "3@41",
        "2 dead letters");

    Result replay = run("replay", Topics.ORDERS, "--id", dead.id().toString(), where[0], where[1], where[2], where[3]);
    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(replay.out()).contains("replayed 1 dead letter into " + kafka.topic(Topics.ORDERS));
    List<ConsumerRecord<String, String>> replayed = KafkaTestClient.readAll(kafka.bootstrap(), kafka.topic(Topics.ORDERS));
    assertThat(replayed).hasSize(1);
    assertThat(replayed.get(0).key()).isEqualTo("o-dead");
    assertThat(replayed.get(0).value()).isEqualTo(dead.toJson().encode());
    assertThat(replayed.get(0).headers().lastHeader(RecordHeaders.DLQ_ERROR)).as("dead-letter headers dropped").isNull();
    assertThat(RecordHeaders.text(replayed.get(0).headers(), RecordHeaders.EVENT_ID)).isEqualTo(dead.id().toString());

    Result unknown = run("replay", Topics.ORDERS, "--id", "01a214e7-dce8-7034-bd86-43ba95cec885", where[0], where[1],
        where[2], where[3]);
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no dead letter with event id");
  }

  @Test
  @DisplayName("a listing shows the newest dead letters up to --limit, and how many the topic holds")
  void listsTheNewest(Vertx vertx, TestEnv env) {
    KafkaConfig kafka = new KafkaConfig(env.kafkaBootstrap(), env.topicPrefix() + "newest.");
    KafkaTopics.ensure(vertx, kafka, KafkaTopics.eventTopics(kafka), 3, (short) 1).await();
    List<Envelope> events = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      events.add(Envelope.of(Orders.placed("o-dead-" + i), null));
    }
    KafkaTestClient.produce(kafka.bootstrap(), kafka.topic(Topics.deadLetters(Topics.ORDERS)), 1,
        events.stream().map(e -> deadLetter(e, "inventory", "boom")).toList());

    Result list = run("list", Topics.ORDERS, "--limit", "2", "--bootstrap", kafka.bootstrap(),
        "--prefix", kafka.topicPrefix());

    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains(events.get(3).id().toString(), events.get(4).id().toString(),
        "5 dead letters, the newest 2 shown");
    for (Envelope older : events.subList(0, 3)) {
      assertThat(list.out()).doesNotContain(older.id().toString());
    }
    assertThat(list.out().indexOf(events.get(3).id().toString()))
        .as("oldest first").isLessThan(list.out().indexOf(events.get(4).id().toString()));
  }

  @Test
  @DisplayName("without --bootstrap the command reads the broker of the running dev stack; bad usage exits 2")
  void bootstrapAndUsage(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve(".shopmesh"));
    Files.writeString(root.resolve(".shopmesh/endpoints.json"), "{\"kafka\": {\"bootstrap\": \"127.0.0.1:19092\"}}");
    Path nested = Files.createDirectories(root.resolve("order-verticle/target"));
    assertThat(DlqCli.devStackBootstrap(nested)).isEqualTo("127.0.0.1:19092");
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("purge", Topics.ORDERS).code()).isEqualTo(2);
    assertThat(run("list", Topics.ORDERS, "--id", "x").code()).isEqualTo(2);
    assertThat(run("list", Topics.ORDERS, "--limit", "0").code()).isEqualTo(2);
    assertThat(run("list", Topics.ORDERS, "--limit", "1001").code()).isEqualTo(2);
    assertThat(run("replay", Topics.ORDERS, "--limit", "5").code()).isEqualTo(2);
    Result unknownTopic = run("list", "nope.events", "--bootstrap", "127.0.0.1:1");
    assertThat(unknownTopic.code()).isEqualTo(1);
    assertThat(unknownTopic.err()).contains("unknown event topic 'nope.events'");
  }

  private static Raw deadLetter(Envelope event, String consumer, String error) {
    List<Header> headers = List.of(
        header(RecordHeaders.EVENT_ID, event.id().toString()),
        header(RecordHeaders.EVENT_TYPE, event.type()),
        header(RecordHeaders.DLQ_CONSUMER, consumer),
        header(RecordHeaders.DLQ_ERROR, error),
        header(RecordHeaders.DLQ_ATTEMPTS, "5"),
        header(RecordHeaders.DLQ_ORIGINAL_PARTITION, "3"),
        header(RecordHeaders.DLQ_ORIGINAL_OFFSET, "41"),
        header(RecordHeaders.DLQ_FAILED_AT, "2026-11-25T10:00:00Z"));
    return new Raw(event.aggregateId(), event.toJson().encode(), headers);
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = DlqCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Result(int code, String out, String err) {
  }
}
