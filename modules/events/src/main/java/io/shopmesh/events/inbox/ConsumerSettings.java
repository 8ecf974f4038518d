package io.shopmesh.events.inbox;

import io.shopmesh.platform.config.Settings;

import java.time.Duration;

/**
 * How one event consumer of a service runs, read from the service's configuration.
 *
 * <table>
 *   <caption>Keys (each overridable as {@code SHOPMESH_...} env var or {@code -Dshopmesh....})</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code consumer.group}</td><td>the consumer's name</td><td>Kafka consumer group</td></tr>
 *   <tr><td>{@code consumer.maxAttempts}</td><td>5</td><td>handler attempts before the event goes to {@code <topic>.dlq}</td></tr>
 *   <tr><td>{@code consumer.backoff}</td><td>200ms</td><td>delay after the first failed attempt, doubled after each further one</td></tr>
 *   <tr><td>{@code consumer.maxBackoff}</td><td>5s</td><td>cap of that delay</td></tr>
 *   <tr><td>{@code consumer.commitInterval}</td><td>100ms</td><td>how often processed offsets are committed</td></tr>
 *   <tr><td>{@code consumer.metricsInterval}</td><td>5s</td><td>how often lag and dead-letter depth are measured</td></tr>
 *   <tr><td>{@code consumer.inboxRetention}</td><td>14d</td><td>inbox rows (the ids of applied events) are deleted
 *   this long after they were written; keep it longer than the event topics' retention (Kafka's default: 7
 *   days), since an event Kafka still holds can be delivered again (a group whose offsets expired reads from
 *   the earliest) and only its inbox row keeps it from being applied twice</td></tr>
 * </table>
 */
public record ConsumerSettings(String group, int maxAttempts, Duration backoff, Duration maxBackoff,
                               Duration commitInterval, Duration metricsInterval, Duration inboxRetention) {

  public static ConsumerSettings from(Settings s, String consumerName) {
    Duration backoff = s.duration("consumer.backoff", Duration.ofMillis(200));
    Duration maxBackoff = s.duration("consumer.maxBackoff", Duration.ofSeconds(5));
    return new ConsumerSettings(
        s.string("consumer.group", consumerName),
        s.integer("consumer.maxAttempts", 5, 1, 1000),
        backoff.isZero() ? Duration.ofMillis(1) : backoff,
        maxBackoff.compareTo(backoff) < 0 ? backoff : maxBackoff,
        s.duration("consumer.commitInterval", Duration.ofMillis(100)),
        s.duration("consumer.metricsInterval", Duration.ofSeconds(5)),
        s.duration("consumer.inboxRetention", Duration.ofDays(14)));
  }
}
