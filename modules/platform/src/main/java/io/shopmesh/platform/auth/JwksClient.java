package io.shopmesh.platform.auth;

import io.shopmesh.platform.config.AuthConfig;
import io.shopmesh.platform.health.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Keeps a {@link TokenVerifier}'s keys in step with the users service's JWKS: read at start,
 * re-read periodically, and re-read early (at most once per {@code minInterval}) when a token names
 * an unknown key, which is what a key rotation looks like from here. Until a read has brought at
 * least one key every token is refused; reads are then retried every two seconds, and a token
 * arriving meanwhile asks again at once (one read at a time, at most every 250 ms), so a service
 * that started before the users service does not refuse tokens for long after users is up. Once
 * keys are known, a read that brings none is taken for a failed read: the known keys stay.
 */
public final class JwksClient {

  private static final Logger LOG = LoggerFactory.getLogger(JwksClient.class);
  private static final Duration RETRY = Duration.ofSeconds(2);
  private static final Duration STARVED_INTERVAL = Duration.ofMillis(250);

  private final Vertx vertx;
  private final Supplier<Future<JsonArray>> source;
  private final String from;
  private final TokenVerifier verifier;
  private final Duration refresh;
  private final Duration minInterval;
  private Instant lastRead = Instant.EPOCH;
  private long timer = -1;
  private int keyCount;
  private boolean reading;
  private boolean closed;

  /**
   * @param source reads the current {@code keys} array of the JWK set
   * @param from   where the keys come from, for log lines
   */
  public JwksClient(Vertx vertx, Supplier<Future<JsonArray>> source, String from, TokenVerifier verifier,
                    AuthConfig config) {
    this.vertx = vertx;
    this.source = source;
    this.from = from;
    this.verifier = verifier;
    this.refresh = config.jwksRefresh();
    this.minInterval = config.jwksMinInterval();
    verifier.onUnknownKey(() -> vertx.runOnContext(v -> readEarly()));
  }

  /** Reads the JWK set at {@code config.jwksUrl()} over HTTP. */
  public static JwksClient overHttp(Vertx vertx, TokenVerifier verifier, AuthConfig config) {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setIdleTimeout(30));
    return new JwksClient(vertx, () -> client.getAbs(config.jwksUrl()).timeout(5000).send()
        .expecting(HttpResponseExpectation.SC_OK)
        .map(response -> response.bodyAsJsonObject().getJsonArray("keys", new JsonArray())),
        config.jwksUrl(), verifier, config);
  }

  /**
   * Starts reading. The future completes when the first read is done, whether it brought keys or
   * not (a failed read is logged and retried): a service may wait for it so that it starts with
   * keys when the users service is up, without being kept from starting when it is not.
   */
  public Future<Void> start() {
    return read().recover(e -> Future.succeededFuture());
  }

  /**
   * Registers the {@code signing-keys} check with {@code readiness}: down until a read has brought
   * a key, since every token is refused until then. Critical where a service without keys should get
   * no traffic; not where it also serves public requests (the gateway).
   */
  public void reportTo(Readiness readiness, boolean critical) {
    readiness.check("signing-keys", critical, () -> loaded() ? Future.succeededFuture()
        : Future.failedFuture("the users service's signing keys are not loaded yet"));
  }

  /** Whether the last key set read holds a key: without one every token is refused, so the service is not ready. */
  public synchronized boolean loaded() {
    return keyCount > 0;
  }

  private synchronized int keyCount() {
    return keyCount;
  }

  public synchronized void close() {
    closed = true;
    vertx.cancelTimer(timer);
  }

  private synchronized void readEarly() {
    // no key yet (users was not up, or had none): every token is refused, so ask again right away
    Duration interval = loaded() ? minInterval : STARVED_INTERVAL;
    if (!reading && !closed && Duration.between(lastRead, Instant.now()).compareTo(interval) >= 0) {
      read();
    }
  }

  private synchronized Future<Void> read() {
    lastRead = Instant.now();
    reading = true;
    vertx.cancelTimer(timer);
    return source.get()
        .andThen(ar -> {
          synchronized (this) {
            reading = false;
          }
        })
        .compose(keys -> {
          if (keys.isEmpty() && loaded()) {
            // users always publishes its signing key: an empty set is a broken answer (a proxy's error page
            // mapped to nothing, a half-started instance), and taking it would refuse every token
            return Future.failedFuture("the key set read is empty; keeping the " + keyCount() + " keys known");
          }
          return Future.succeededFuture(keys);
        })
        .onSuccess(keys -> {
          verifier.setKeys(keys);
          synchronized (this) {
            if (keyCount == 0) {
              LOG.info("trusting {} signing keys from {}", keys.size(), from);
            }
            keyCount = keys.size();
          }
          schedule(loaded() ? refresh : RETRY);
        })
        .onFailure(e -> {
          LOG.warn("cannot read signing keys from {}: {}", from, e.getMessage());
          schedule(loaded() ? refresh : RETRY);
        })
        .mapEmpty();
  }

  private synchronized void schedule(Duration delay) {
    vertx.cancelTimer(timer);
    if (!closed) {
      timer = vertx.setTimer(delay.toMillis(), t -> read());
    }
  }
}
