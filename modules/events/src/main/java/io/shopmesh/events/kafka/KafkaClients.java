package io.shopmesh.events.kafka;

import io.shopmesh.platform.config.KafkaConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Client configurations of the backbone, in one place so that every producer is idempotent and
 * every consumer commits by hand.
 */
public final class KafkaClients {

  /**
   * How long a consumer's blocking calls (offset commit, offset and partition look-ups) wait for the
   * broker before failing; a failed commit is retried at the next interval.
   */
  public static final Duration CONSUMER_API_TIMEOUT = Duration.ofSeconds(3);

  private KafkaClients() {
  }

  /**
   * An idempotent producer ({@code acks=all}, at most 5 requests in flight, which keeps per-key
   * order across retries) whose failures surface within {@code deliveryTimeout} instead of the
   * client's default two minutes, so the caller's own backoff takes over.
   */
  public static Map<String, String> producer(KafkaConfig kafka, String clientId, long lingerMs,
                                             Duration deliveryTimeout) {
    long delivery = deliveryTimeout.toMillis();
    // the client insists on delivery.timeout.ms >= linger.ms + request.timeout.ms
    long request = Math.max(500, Math.min(10_000, delivery - lingerMs));
    Map<String, String> config = common(kafka, clientId);
    config.put("key.serializer", StringSerializer.class.getName());
    config.put("value.serializer", StringSerializer.class.getName());
    config.put("enable.idempotence", "true");
    config.put("acks", "all");
    config.put("max.in.flight.requests.per.connection", "5");
    config.put("linger.ms", Long.toString(lingerMs));
    config.put("request.timeout.ms", Long.toString(request));
    config.put("delivery.timeout.ms", Long.toString(Math.max(delivery, lingerMs + request)));
    // send() blocks its thread while topic metadata is missing (broker down): keep that short
    config.put("max.block.ms", Long.toString(Math.min(delivery, 10_000)));
    return config;
  }

  /**
   * A consumer in {@code group} that never commits on its own and starts a new group at the
   * beginning of the topic. The cooperative assignor keeps the partitions that stay with this
   * member during a rebalance, so their in-flight work is not thrown away; frequent heartbeats make
   * the members learn of a rebalance (a new instance, a leaving one) within a second.
   */
  public static Map<String, String> consumer(KafkaConfig kafka, String clientId, String group) {
    Map<String, String> config = common(kafka, clientId);
    config.put("key.deserializer", StringDeserializer.class.getName());
    config.put("value.deserializer", StringDeserializer.class.getName());
    config.put("group.id", group);
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
    config.put("session.timeout.ms", "15000");
    config.put("heartbeat.interval.ms", "1000");
    // the client runs every call on one thread, polls included: a blocking call (vertx-kafka-client commits
    // with commitSync) holds the polls until it returns, and with the broker gone it would wait the default
    // minute, so a stop then waited out the service's whole shutdown step (offset look-ups are kept off this
    // thread for that reason: the lag probe has its own admin client)
    config.put("default.api.timeout.ms", Long.toString(CONSUMER_API_TIMEOUT.toMillis()));
    return config;
  }

  /** An admin client whose calls give up after a few seconds rather than a minute. */
  public static Map<String, String> admin(KafkaConfig kafka, String clientId) {
    Map<String, String> config = common(kafka, clientId);
    config.put("request.timeout.ms", "5000");
    config.put("default.api.timeout.ms", "8000");
    return config;
  }

  private static Map<String, String> common(KafkaConfig kafka, String clientId) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", kafka.bootstrap());
    config.put("client.id", clientId);
    // a broker that restarts is found again quickly
    config.put("reconnect.backoff.ms", "100");
    config.put("reconnect.backoff.max.ms", "2000");
    return config;
  }
}
