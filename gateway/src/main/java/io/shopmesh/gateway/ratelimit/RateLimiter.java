package io.shopmesh.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Distributed token buckets in Redis (one atomic Lua call), made cheap by local leases: a call
 * takes a few tokens at once and this instance spends them without asking again for up to a
 * second. The request that takes a lease's last token starts the fetch of the next lease, so the
 * caller's next request does not wait for Redis; requests arriving while a fetch runs wait for that
 * fetch instead of starting their own. Tokens leased but unused are lost, so a caller may get up
 * to {@code lease} fewer successes per instance per second than the budget.
 *
 * <p>A caller this instance knows nothing about (no lease and no refusal remembered; both are
 * forgotten within 5 seconds after they end) does not wait for Redis: its request is admitted at
 * once and its lease is fetched meanwhile, the admitted request paid from it. Only when that
 * caller's shared bucket turns out empty was the admission one too many, and then the refusal is
 * remembered; when the fetch fails, the caller stays known with nothing to spend, so its next
 * request waits for Redis rather than being admitted ahead again. Together this is the stated
 * tolerance: per instance and second, between
 * {@code lease} fewer and one more success than the budget. While a refusal is remembered
 * (until its {@code Retry-After}), requests are refused here without asking Redis.
 *
 * <p>When Redis fails or does not answer within {@code rateLimit.redisTimeout} three calls in a row,
 * the configured policy applies for the next second (local buckets by default), with one log line when
 * that starts and ends; a single slow answer (a busy machine, a pause) only sends its own request to
 * the policy. Every failed call is counted ({@code shopmesh_ratelimit_redis_failures_total}).
 */
public final class RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final long LEASE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long DOWN_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Failed calls in a row after which Redis counts as down. */
  private static final int FAILURES_BEFORE_DOWN = 3;
  private static final String SCRIPT = script();

  private final Redis redis;
  private final String keyPrefix;
  private final RateLimitSettings settings;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final LocalBuckets local = new LocalBuckets();
  private final MeterRegistry meters;
  private final Map<RateLimitSettings.Limit, Counter[]> decisions = new ConcurrentHashMap<>();
  private volatile String scriptSha;
  private volatile long redisDownUntil;
  private volatile boolean degraded;
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private final Counter redisFailures;

  public RateLimiter(Vertx vertx, Redis redis, String keyPrefix, RateLimitSettings settings, MeterRegistry meters) {
    this.redis = redis;
    this.keyPrefix = keyPrefix + "rl:";
    this.settings = settings;
    this.meters = meters;
    this.redisFailures = Counter.builder("shopmesh.ratelimit.redis.failures")
        .description("Rate-limit calls to Redis that failed or timed out").register(meters);
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
    return acquire(settings.classes().get(limitClass), limitClass + ":" + caller, false);
  }

  private Future<Decision> acquire(RateLimitSettings.Limit limit, String key, boolean waited) {
    long now = System.nanoTime();
    Lease lease = leases.get(key);
    if (lease != null) {
      int left = lease.tryTake(now);
      if (left >= 0) {
        if (left == 0 && now - redisDownUntil >= 0) {
          // the last token of the lease: fetch the next one now, so this caller's next request does not wait
          fetch(key, limit, lease);
        }
        return Future.succeededFuture(count(new Decision(true, limit, lease.remaining(), 0), Source.LEASE));
      }
      if (lease.refusedAt(now)) {
        return Future.succeededFuture(count(new Decision(false, limit, 0, lease.retryAfterSeconds(now)),
            Source.LEASE));
      }
      Future<Void> inFlight = lease.fetching();
      if (inFlight != null && !waited) {
        // one fetch per caller at a time: wait for it (back on this request's own context), then take from it
        ContextInternal context = ContextInternal.current();
        Promise<Void> fetched = context != null ? context.promise() : Promise.promise();
        inFlight.onComplete(ar -> fetched.complete());
        return fetched.future().compose(v -> acquire(limit, key, true));
      }
    }
    if (now - redisDownUntil < 0) {
      return Future.succeededFuture(fallback(key, limit));
    }
    if (lease == null) {
      Lease pending = Lease.empty();
      if (leases.putIfAbsent(key, pending) == null) {
        // a caller not seen lately: admit now, fetch its lease meanwhile (the admission is paid from it)
        fetch(key, limit, pending, 1).onComplete(ar -> {
          if (ar.succeeded() && ar.result() != null && !ar.result().allowed()) {
            LOG.debug("rate limiting: an admission without waiting for Redis exceeded the budget of {}", key);
          }
        });
        return Future.succeededFuture(count(new Decision(true, limit, limit.burst() - 1, 0), Source.AHEAD));
      }
    }
    Lease pending = Lease.empty();
    leases.put(key, pending);
    return fetch(key, limit, pending, 1).map(decision -> decision != null ? count(decision, Source.REDIS)
        : fallback(key, limit));
  }

  /** Fetches the next lease while the current one is spent, unless a fetch is already running. */
  private void fetch(String key, RateLimitSettings.Limit limit, Lease current) {
    if (current.fetching() == null) {
      fetch(key, limit, current, 0);
    }
  }

  /**
   * Asks Redis for up to a lease of tokens, {@code spend} of which are spent at once by the caller;
   * the rest replace {@code current} (a refusal is remembered the same way). Completes with the
   * decision for the spending caller, or null when Redis could not be asked.
   */
  private Future<Decision> fetch(String key, RateLimitSettings.Limit limit, Lease current, int spend) {
    Promise<Void> done = Promise.promise();
    current.fetching(done.future());
    return takeFromRedis(key, limit)
        .map(reply -> {
          markUp();
          long granted = reply.get(0).toLong();
          long waitMs = reply.get(1).toLong();
          long left = reply.get(2).toLong();
          if (granted < 1) {
            long retryAfter = Math.max(1, (waitMs + 999) / 1000);
            leases.put(key, Lease.refused(Math.max(1, waitMs)));
            return new Decision(false, limit, 0, retryAfter);
          }
          int kept = (int) granted - Math.min(spend, (int) granted);
          leases.put(key, new Lease(kept, left));
          return new Decision(true, limit, left + kept, 0);
        })
        .recover(e -> {
          // the caller stays known, with nothing to spend: its next request waits for Redis (and gets the
          // configured policy if Redis fails again) instead of being admitted ahead once more, uncharged
          leases.replace(key, current, Lease.empty());
          markDown(e);
          return Future.succeededFuture((Decision) null);
        })
        .andThen(ar -> done.complete());
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
      case "open" -> count(new Decision(true, limit, limit.burst(), 0), Source.OPEN);
      case "closed" -> count(new Decision(false, limit, 0, 1), Source.CLOSED);
      default -> count(local.take(key, limit), Source.LOCAL);
    };
  }

  private void markDown(Throwable e) {
    redisFailures.increment();
    if (failuresInARow.incrementAndGet() < FAILURES_BEFORE_DOWN && !degraded) {
      return;
    }
    redisDownUntil = System.nanoTime() + DOWN_RETRY_NANOS;
    if (!degraded) {
      degraded = true;
      LOG.warn("rate limiting: Redis unavailable ({}); policy '{}' applies until it answers", e.toString(),
          settings.onRedisDown());
    }
  }

  private void markUp() {
    failuresInARow.set(0);
    if (degraded) {
      degraded = false;
      LOG.info("rate limiting: Redis answers again; shared buckets in use");
    }
  }

  /** Counts the decision under its class, outcome and source; the counters are looked up without allocating. */
  private Decision count(Decision decision, Source source) {
    Counter[] counters = decisions.computeIfAbsent(decision.limit(), l -> new Counter[2 * Source.COUNT]);
    int slot = (decision.allowed() ? 0 : Source.COUNT) + source.ordinal();
    Counter counter = counters[slot];
    if (counter == null) {
      counter = Counter.builder("shopmesh_ratelimit_decisions")
          .tag("class", decision.limit().name())
          .tag("decision", decision.allowed() ? "allowed" : "limited")
          .tag("source", source.label)
          .description("Rate-limit decisions by class, outcome and where they were taken")
          .register(meters);
      counters[slot] = counter;
    }
    counter.increment();
    return decision;
  }

  /** Where a decision was taken (the {@code source} label). */
  private enum Source {
    LEASE("lease"), REDIS("redis"), AHEAD("ahead"), LOCAL("local"), OPEN("open"), CLOSED("closed");

    static final int COUNT = values().length;

    final String label;

    Source(String label) {
      this.label = label;
    }
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
    private Future<Void> fetching;

    private Lease(int tokens, long redisLeft, long expires, long refusedUntil) {
      this.tokens = tokens;
      this.redisLeft = redisLeft;
      this.expires = expires;
      this.refusedUntil = refusedUntil;
    }

    Lease(int tokens, long redisLeft) {
      this(tokens, redisLeft, System.nanoTime() + LEASE_NANOS, 0);
    }

    /**
     * Nothing to spend, nothing refused: while a fetch is in flight, requests wait for it; after a fetch
     * failed, the next request asks Redis (a known caller is not admitted ahead).
     */
    static Lease empty() {
      return new Lease(0, 0);
    }

    static Lease refused(long waitMs) {
      long now = System.nanoTime();
      long until = now + TimeUnit.MILLISECONDS.toNanos(waitMs);
      return new Lease(0, 0, Math.max(until, now + LEASE_NANOS), until);
    }

    /** Takes a token: the tokens left after it, or -1 when there was none (or the lease expired). */
    synchronized int tryTake(long now) {
      if (tokens <= 0 || now - expires > 0) {
        return -1;
      }
      return --tokens;
    }

    /** The fetch of this caller's next lease, while it runs; null otherwise. */
    synchronized Future<Void> fetching() {
      return fetching != null && !fetching.isComplete() ? fetching : null;
    }

    synchronized void fetching(Future<Void> fetch) {
      this.fetching = fetch;
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
