package io.shopmesh.platform.auth;

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

/**
 * Keeps a {@link TokenVerifier}'s keys in step with the users service's JWKS: read at start,
 * re-read periodically, and re-read early (at most once per {@code minInterval}) when a token names
 * an unknown key, which is what a key rotation looks like from here. Until the first read
 * succeeds every token is refused, and reads are retried every two seconds.
 */
public final class JwksClient {

  private static final Logger LOG = LoggerFactory.getLogger(JwksClient.class);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final WebClient client;
  private final String url;
  private final TokenVerifier verifier;
  private final Duration refresh;
  private final Duration minInterval;
  private Instant lastRead = Instant.EPOCH;
  private long timer = -1;
  private boolean loaded;

  public JwksClient(Vertx vertx, String url, TokenVerifier verifier, Duration refresh, Duration minInterval) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setIdleTimeout(30));
    this.url = url;
    this.verifier = verifier;
    this.refresh = refresh;
    this.minInterval = minInterval;
    verifier.onUnknownKey(() -> vertx.runOnContext(v -> readEarly()));
  }

  /** Starts reading; returns the first read (which callers need not wait for). */
  public Future<Void> start() {
    return read();
  }

  public void close() {
    vertx.cancelTimer(timer);
    client.close();
  }

  private synchronized void readEarly() {
    if (Duration.between(lastRead, Instant.now()).compareTo(minInterval) >= 0) {
      read();
    }
  }

  private synchronized Future<Void> read() {
    lastRead = Instant.now();
    vertx.cancelTimer(timer);
    return client.getAbs(url).timeout(5000).send()
        .expecting(HttpResponseExpectation.SC_OK)
        .map(response -> response.bodyAsJsonObject().getJsonArray("keys", new JsonArray()))
        .onSuccess(keys -> {
          verifier.setKeys(keys);
          if (!loaded) {
            LOG.info("trusting {} signing keys from {}", keys.size(), url);
          }
          loaded = true;
          schedule(refresh);
        })
        .onFailure(e -> {
          LOG.warn("cannot read signing keys from {}: {}", url, e.getMessage());
          schedule(loaded ? refresh : RETRY);
        })
        .mapEmpty();
  }

  private synchronized void schedule(Duration delay) {
    vertx.cancelTimer(timer);
    timer = vertx.setTimer(delay.toMillis(), t -> read());
  }
}
