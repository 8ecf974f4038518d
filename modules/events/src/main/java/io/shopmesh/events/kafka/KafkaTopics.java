package io.shopmesh.events.kafka;

import io.shopmesh.events.Topics;
import io.shopmesh.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Creates the backbone's topics when they are missing. Brokers run with topic auto-creation off
 * (topics are part of the contract), and several instances may race to create the same topic:
 * "already exists" is success.
 */
public final class KafkaTopics {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

  private KafkaTopics() {
  }

  /** Every event topic of the mesh and its dead-letter topic, prefix applied. */
  public static Set<String> eventTopics(KafkaConfig kafka) {
    Set<String> names = new LinkedHashSet<>();
    Topics.ALL.forEach(t -> {
      names.add(kafka.topic(t));
      names.add(kafka.topic(Topics.deadLetters(t)));
    });
    return names;
  }

  /**
   * Ensures that {@code names} (full names, prefix applied) exist.
   *
   * @param partitions        for topics created here; existing topics are left as they are
   * @param replicationFactor for topics created here
   */
  public static Future<Void> ensure(Vertx vertx, KafkaConfig kafka, Set<String> names, int partitions,
                                    short replicationFactor) {
    Properties config = new Properties();
    config.putAll(KafkaClients.admin(kafka, "shopmesh-topics"));
    // made on a worker: the client resolves the bootstrap hosts as it is made, and throws (rather than
    // fail a future) when none resolves, which on an event loop would escape the callers' retry loops
    return vertx.executeBlocking(() -> KafkaAdminClient.create(vertx, config), false)
        .compose(admin -> ensure(admin, names, partitions, replicationFactor));
  }

  private static Future<Void> ensure(KafkaAdminClient admin, Set<String> names, int partitions,
                                     short replicationFactor) {
    return admin.listTopics()
        .compose(existing -> {
          List<NewTopic> missing = new ArrayList<>();
          names.stream().filter(name -> !existing.contains(name)).sorted()
              .forEach(name -> missing.add(new NewTopic(name, partitions, replicationFactor)));
          if (missing.isEmpty()) {
            return Future.<Void>succeededFuture();
          }
          return admin.createTopics(missing)
              .onSuccess(v -> LOG.info("created topics {} ({} partitions, replication {})",
                  missing.stream().map(NewTopic::getName).toList(), partitions, replicationFactor))
              .recover(e -> alreadyExists(e) ? Future.succeededFuture() : Future.failedFuture(e));
        })
        .eventually(() -> admin.close());
  }

  private static boolean alreadyExists(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TopicExistsException) {
        return true;
      }
    }
    return false;
  }
}
