package io.shopmesh.events.outbox;

import io.shopmesh.platform.config.Settings;

import java.time.Duration;

/**
 * How the outbox relay of a service runs, read from the service's configuration.
 *
 * <table>
 *   <caption>Keys (each overridable as {@code SHOPMESH_...} env var or {@code -Dshopmesh....})</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code outbox.pollInterval}</td><td>1s</td><td>fallback poll when no NOTIFY arrives; also how
 *       often a standby tries to take the leader lock, so it bounds fail-over time</td></tr>
 *   <tr><td>{@code outbox.batchSize}</td><td>500</td><td>rows read, published and marked per batch</td></tr>
 *   <tr><td>{@code outbox.retention}</td><td>24h</td><td>published rows are deleted this long after publication</td></tr>
 *   <tr><td>{@code outbox.maxBackoff}</td><td>30s</td><td>cap of the exponential backoff between failed publish attempts</td></tr>
 *   <tr><td>{@code outbox.metricsInterval}</td><td>5s</td><td>how often the backlog gauges are refreshed</td></tr>
 *   <tr><td>{@code kafka.lingerMs}</td><td>1</td><td>producer {@code linger.ms}: latency traded for batching</td></tr>
 *   <tr><td>{@code kafka.deliveryTimeout}</td><td>30s</td><td>producer {@code delivery.timeout.ms}: a send fails
 *       (and is retried with backoff) after this long without acknowledgement</td></tr>
 *   <tr><td>{@code kafka.partitions}</td><td>3</td><td>partitions of topics this service creates</td></tr>
 *   <tr><td>{@code kafka.replicationFactor}</td><td>1</td><td>replication of topics this service creates
 *       (3 in production clusters)</td></tr>
 * </table>
 */
public record RelaySettings(Duration pollInterval, int batchSize, Duration retention, Duration maxBackoff,
                            Duration metricsInterval, long lingerMs, Duration deliveryTimeout, int partitions,
                            short replicationFactor) {

  public static RelaySettings from(Settings s) {
    return new RelaySettings(
        s.duration("outbox.pollInterval", Duration.ofSeconds(1)),
        s.integer("outbox.batchSize", 500, 1, 100_000),
        s.duration("outbox.retention", Duration.ofHours(24)),
        s.duration("outbox.maxBackoff", Duration.ofSeconds(30)),
        s.duration("outbox.metricsInterval", Duration.ofSeconds(5)),
        s.integer("kafka.lingerMs", 1, 0, 60_000),
        s.duration("kafka.deliveryTimeout", Duration.ofSeconds(30)),
        s.integer("kafka.partitions", 3, 1, 10_000),
        (short) s.integer("kafka.replicationFactor", 1, 1, 32));
  }
}
