package io.shopmesh.inventory;

import io.shopmesh.platform.config.AuthConfig;
import io.shopmesh.platform.config.DiscoveryConfig;
import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.work.WorkPoolConfig;

import java.time.Duration;

/**
 * Everything the inventory service reads from its configuration (besides the shared {@code http},
 * {@code db}, {@code kafka}, {@code discovery}, {@code consumer} and {@code outbox} keys):
 *
 * <ul>
 *   <li>{@code auth.jwksUrl} (required): the users service's key set, e.g.
 *       {@code http://users.internal:8081/.well-known/jwks.json}; admin routes verify bearer
 *       tokens against it ({@link AuthConfig} for {@code auth.issuer}, {@code auth.audience}, ...).</li>
 *   <li>{@code imports.maxBytes} (50mb): largest import file; larger uploads get 413.</li>
 *   <li>{@code imports.maxConcurrent} (2): imports running at once in an instance; one more gets
 *       503 with {@code Retry-After: imports.retryAfter} (10s).</li>
 *   <li>{@code imports.batchSize} (500): rows read, validated and upserted per transaction.</li>
 *   <li>{@code imports.restRatio} (1.0): after each batch a job pauses this many times as long as
 *       the batch took, so an import keeps the database busy at most half the time by default
 *       and catalog reads stay fast during it (0: no pause, fastest import); a pause is at most a
 *       quarter of {@code imports.staleAfter}, so a resting job never looks stale.</li>
 *   <li>{@code imports.workers} (1): threads of the {@code imports} work pool that read and
 *       validate files; {@code imports.timeout} (30s) bounds one batch's reading.</li>
 *   <li>{@code imports.maxErrors} (1000): rejected rows kept per job and shown by
 *       {@code GET /api/imports/{id}} ({@code errorCount} counts them all).</li>
 *   <li>{@code imports.staleAfter} (2m): a RUNNING job whose instance has not moved it for this
 *       long is reported FAILED (its instance died).</li>
 * </ul>
 */
public record InventoryConfig(HttpConfig http, PgConfig db, KafkaConfig kafka, AuthConfig auth,
                              DiscoveryConfig discovery, Imports imports) {

  public static InventoryConfig from(Settings s) {
    s.string("auth.jwksUrl");
    return new InventoryConfig(HttpConfig.from(s, 8083), PgConfig.from(s), KafkaConfig.from(s), AuthConfig.from(s),
        DiscoveryConfig.from(s), Imports.from(s));
  }

  /** Bulk imports: their size, concurrency, batching and the workers that parse them. */
  public record Imports(long maxBytes, int maxConcurrent, int batchSize, double restRatio, int workers,
                        Duration timeout, Duration retryAfter, int maxErrors, Duration staleAfter) {

    static Imports from(Settings s) {
      return new Imports(
          s.bytes("imports.maxBytes", 50L * 1024 * 1024),
          s.integer("imports.maxConcurrent", 2, 1, 64),
          s.integer("imports.batchSize", 500, 1, 10_000),
          s.parsed("imports.restRatio", 1.0, "a number between 0 and 100", text -> {
            double ratio = Double.parseDouble(text);
            if (!(ratio >= 0 && ratio <= 100)) {
              throw new IllegalArgumentException(text);
            }
            return ratio;
          }),
          s.integer("imports.workers", 1, 1, 64),
          s.duration("imports.timeout", Duration.ofSeconds(30)),
          s.duration("imports.retryAfter", Duration.ofSeconds(10)),
          s.integer("imports.maxErrors", 1000, 1, 1_000_000),
          s.duration("imports.staleAfter", Duration.ofMinutes(2)));
    }

    /**
     * The work pool reading the files: each running job has at most one batch in it, so
     * {@code maxConcurrent} places never refuse a job that holds an import slot.
     */
    public WorkPoolConfig workPool() {
      return new WorkPoolConfig(workers, maxConcurrent, timeout, retryAfter);
    }
  }
}
