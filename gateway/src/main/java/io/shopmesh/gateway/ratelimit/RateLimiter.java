package io.shopmesh.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Distributed token buckets in Redis (one atomic Lua call), made cheap by local leases: a call
 * takes a few tokens at once and this instance spends them without asking again for up to a
 * second. Tokens leased but unused are lost, so a caller may get up to {@code (lease - 1)} fewer
 * successes per instance per second than the budget.
 *
 * <p>A caller this instance knows nothing about (no lease and no refusal remembered; both are
 * forgotten within 5 seconds after they end) does not wait for Redis: its request is admitted at
 * once and its lease is fetched meanwhile, the admitted request paid from it. Only when that
 * caller's shared bucket turns out empty was the admission one too many, and then the refusal is
 * remembered. Together this is the stated tolerance: per instance and second, between
 * {@code lease - 1} fewer and one more success than the budget. While a refusal is remembered
 * (until its {@code Retry-After}), requests are refused here without asking Redis.
 *
 * <p>When Redis does not answer within {@code rateLimit.redisTimeout} the configured policy applies
 * for the next second (local buckets by default), with one log line when that starts and ends.
 */
public final class RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final long LEASE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long DOWN_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final String SCRIPT = script();

  private final Redis redis;
  private final String keyPrefix;
  private final RateLimitSettings settings;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final LocalBuckets local = new LocalBuckets();
  private final MeterRegistry meters;
  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
  private volatile String scriptSha;
  private volatile long redisDownUntil;
  private volatile boolean degraded;

  public RateLimiter(Vertx vertx, Redis redis, String keyPrefix, RateLimitSettings settings, MeterRegistry meters) {
    this.redis = redis;
    this.keyPrefix = keyPrefix + "rl:";
    this.settings = settings;
    this.meters = meters;
    vertx.setPeriodic(5_000, t -> {
      long now = System.nanoTime();
      leases.values().removeIf(lease -> lease.expired(now));
      local.evictFull(now);
    });
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** Takes one token for {@code caller} in {@code limitClass}. */
  public Future<Decision> acquire(String limitClass, String caller) {
    RateLimitSettings.Limit limit = settings.classes().get(limitClass);
    String key = limitClass + ":" + caller;
    long now = System.nanoTime();
    Lease lease = leases.get(key);
    if (lease != null && lease.tryTake()) {
      return Future.succeededFuture(count(new Decision(true, limit, lease.remaining(), 0), "lease"));
    }
    if (lease != null && lease.refusedAt(now)) {
      return Future.succeededFuture(count(new Decision(false, limit, 0, lease.retryAfterSeconds(now)), "lease"));
    }
    if (now - redisDownUntil < 0) {
      return Future.succeededFuture(fallback(key, limit));
    }
    if (lease == null && leases.putIfAbsent(key, Lease.pending()) == null) {
      // a caller not seen lately: admit now, fetch its lease meanwhile (the admission is paid from it)
      refill(key, limit, false).onComplete(ar -> {
        if (ar.succeeded() && ar.result() != null && !ar.result().allowed()) {
          LOG.debug("rate limiting: an admission without waiting for Redis exceeded the budget of {}", key);
        }
      });
      return Future.succeededFuture(count(new Decision(true, limit, limit.burst() - 1, 0), "ahead"));
    }
    return refill(key, limit, true);
  }

  /**
   * Asks Redis for up to a lease of tokens: one is spent now, the rest stay here; a refusal is
   * remembered. {@code decides}: whether this answers a waiting request (and counts as its decision).
   */
  private Future<Decision> refill(String key, RateLimitSettings.Limit limit, boolean decides) {
    return takeFromRedis(key, limit)
        .map(reply -> {
          markUp();
          long granted = reply.get(0).toLong();
          long waitMs = reply.get(1).toLong();
          long left = reply.get(2).toLong();
          if (granted < 1) {
            long retryAfter = Math.max(1, (waitMs + 999) / 1000);
            leases.put(key, Lease.refused(Math.max(1, waitMs)));
            return counted(decides, new Decision(false, limit, 0, retryAfter), "redis");
          }
          leases.put(key, new Lease((int) granted - 1, left));
          return counted(decides, new Decision(true, limit, left + granted - 1, 0), "redis");
        })
        .recover(e -> {
          leases.remove(key);
          markDown(e);
          return Future.succeededFuture(decides ? fallback(key, limit) : null);
        });
  }

  private Future<Response> takeFromRedis(String key, RateLimitSettings.Limit limit) {
    String sha = scriptSha;
    Request call = sha == null ? Request.cmd(Command.EVAL).arg(SCRIPT) : Request.cmd(Command.EVALSHA).arg(sha);
    call.arg(1).arg(keyPrefix + key).arg(limit.rate()).arg(limit.burst()).arg(settings.lease());
    return redis.send(call)
        .timeout(settings.redisTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> {
          if (sha != null && String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
            scriptSha = null;
            return takeFromRedis(key, limit);
          }
          return Future.failedFuture(e);
        })
        .onSuccess(r -> {
          if (scriptSha == null) {
            loadScript();
          }
        });
  }

  private void loadScript() {
    redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SCRIPT)).onSuccess(r -> scriptSha = r.toString());
  }

  private Decision fallback(String key, RateLimitSettings.Limit limit) {
    return switch (settings.onRedisDown()) {
      case "open" -> count(new Decision(true, limit, limit.burst(), 0), "open");
      case "closed" -> count(new Decision(false, limit, 0, 1), "closed");
      default -> count(local.take(key, limit), "local");
    };
  }

  private void markDown(Throwable e) {
    redisDownUntil = System.nanoTime() + DOWN_RETRY_NANOS;
    if (!degraded) {
      degraded = true;
      LOG.warn("rate limiting: Redis unavailable ({}); policy '{}' applies until it answers", e.toString(),
          settings.onRedisDown());
    }
  }

  private void markUp() {
    if (degraded) {
      degraded = false;
      LOG.info("rate limiting: Redis answers again; shared buckets in use");
    }
  }

  private Decision counted(boolean decides, Decision decision, String source) {
    return decides ? count(decision, source) : decision;
  }

  private Decision count(Decision decision, String source) {
    String id = decision.limit().name() + (decision.allowed() ? ":allowed:" : ":limited:") + source;
    decisions.computeIfAbsent(id, k -> Counter.builder("shopmesh_ratelimit_decisions")
        .tag("class", decision.limit().name())
        .tag("decision", decision.allowed() ? "allowed" : "limited")
        .tag("source", source)
        .description("Rate-limit decisions by class, outcome and where they were taken")
        .register(meters)).increment();
    return decision;
  }

  private static String script() {
    try (InputStream in = RateLimiter.class.getResourceAsStream("/ratelimit-token-bucket.lua")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new UncheckedIOException(new IOException("ratelimit-token-bucket.lua is missing from the jar", e));
    }
  }

  /**
   * What this instance knows of a caller's bucket for about a second: tokens it took from Redis and
   * may spend without asking again, or a refusal Redis gave (and until when), or a fetch in flight.
   */
  private static final class Lease {

    private int tokens;
    private final long redisLeft;
    private final long expires;
    private final long refusedUntil;

    private Lease(int tokens, long redisLeft, long expires, long refusedUntil) {
      this.tokens = tokens;
      this.redisLeft = redisLeft;
      this.expires = expires;
      this.refusedUntil = refusedUntil;
    }

    Lease(int tokens, long redisLeft) {
      this(tokens, redisLeft, System.nanoTime() + LEASE_NANOS, 0);
    }

    /** A fetch is in flight: nothing to spend, nothing refused; requests meanwhile ask Redis themselves. */
    static Lease pending() {
      return new Lease(0, 0);
    }

    static Lease refused(long waitMs) {
      long now = System.nanoTime();
      long until = now + TimeUnit.MILLISECONDS.toNanos(waitMs);
      return new Lease(0, 0, Math.max(until, now + LEASE_NANOS), until);
    }

    synchronized boolean tryTake() {
      if (tokens <= 0 || System.nanoTime() - expires > 0) {
        return false;
      }
      tokens--;
      return true;
    }

    boolean refusedAt(long now) {
      return refusedUntil != 0 && now - refusedUntil < 0;
    }

    long retryAfterSeconds(long now) {
      return Math.max(1, (TimeUnit.NANOSECONDS.toMillis(refusedUntil - now) + 999) / 1000);
    }

    synchronized long remaining() {
      return redisLeft + tokens;
    }

    boolean expired(long now) {
      return now - expires > 0;
    }
  }
}
