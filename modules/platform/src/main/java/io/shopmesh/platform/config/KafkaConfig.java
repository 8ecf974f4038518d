package io.shopmesh.platform.config;

/**
 * The Kafka cluster carrying domain events.
 *
 * @param topicPrefix prepended to every topic name, so several environments or test classes can share a cluster
 */
public record KafkaConfig(String bootstrap, String topicPrefix) {

  public static KafkaConfig from(Settings s) {
    return new KafkaConfig(s.string("kafka.bootstrap"), s.string("kafka.topicPrefix", ""));
  }

  public String topic(String name) {
    return topicPrefix + name;
  }
}
