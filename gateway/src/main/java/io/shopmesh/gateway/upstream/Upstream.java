package io.shopmesh.gateway.upstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopmesh.platform.discovery.ServiceInstance;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * One upstream service as the gateway sees it: its live instances (round robin with ejection),
 * a circuit breaker, a bulkhead and a per-request timeout that really cancels the request (the
 * connection is closed), so a hung service costs bounded sockets and bounded waiting.
 */
public final class Upstream {

  private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

  private final String name;
  private final Supplier<HttpClient> client;
  private final UpstreamSettings settings;
  private final Balancer balancer;
  private final Bulkhead bulkhead;
  private final Bulkhead longPolls;
  private final CircuitBreaker breaker;
  private final Counter bulkheadRejections;

  /** @param client the HTTP client to use, asked on every request (the calling event loop's own) */
  public Upstream(String name, Vertx vertx, Supplier<HttpClient> client, UpstreamSettings settings,
                  MeterRegistry registry) {
    this.name = name;
    this.client = client;
    this.settings = settings;
    this.balancer = new Balancer(settings.ejectFor());
    this.bulkhead = new Bulkhead(settings.maxInFlight());
    this.longPolls = new Bulkhead(settings.maxLongPolls());
    this.breaker = CircuitBreaker.create("upstream-" + name, vertx, new CircuitBreakerOptions()
        .setMaxFailures(settings.breakerMaxFailures())
        .setResetTimeout(settings.breakerResetTimeout().toMillis())
        .setTimeout(-1)
        .setNotificationAddress(null))
        // every failure counts, except one that came after the client had gone
        .<Object>failurePolicy(outcome -> outcome.failed() && !(outcome.cause() instanceof ClientGone));
    this.bulkheadRejections = Counter.builder("shopmesh_bulkhead_rejections").tag("upstream", name)
        .description("Requests turned away because the upstream's bulkhead was full").register(registry);
    Gauge.builder("shopmesh_breaker_state", breaker, b -> stateCode(b.state())).tag("upstream", name)
        .description("Circuit breaker state: 0 closed, 1 half-open, 2 open").register(registry);
    Gauge.builder("shopmesh_upstream_in_flight", bulkhead, Bulkhead::inFlight).tag("upstream", name)
        .description("Requests waiting for an answer from the upstream").register(registry);
    Gauge.builder("shopmesh_upstream_long_polls", longPolls, Bulkhead::inFlight).tag("upstream", name)
        .description("Long polls (?waitFor=) waiting for an answer from the upstream").register(registry);
    Gauge.builder("shopmesh_upstream_instances", balancer, b -> b.instances().size()).tag("upstream", name)
        .description("Live instances known from discovery").register(registry);
    Counter opened = transitions(registry, "open");
    Counter halfOpened = transitions(registry, "half_open");
    Counter closed = transitions(registry, "closed");
    breaker.openHandler(v -> {
      opened.increment();
      LOG.warn("circuit to {} opened after {} failures", name, settings.breakerMaxFailures());
    });
    breaker.halfOpenHandler(v -> halfOpened.increment());
    breaker.closeHandler(v -> {
      closed.increment();
      LOG.info("circuit to {} closed", name);
    });
  }

  private Counter transitions(MeterRegistry registry, String to) {
    return Counter.builder("shopmesh_breaker_transitions").tag("upstream", name).tag("to", to)
        .description("Circuit breaker state changes").register(registry);
  }

  public String name() {
    return name;
  }

  public CircuitBreakerState breakerState() {
    return breaker.state();
  }

  /** Replaces the instance list (from discovery). */
  public void update(List<ServiceInstance> instances) {
    balancer.update(instances);
  }

  public List<ServiceInstance> instances() {
    return balancer.instances();
  }

  /**
   * Opens a request to an instance. An instance that refuses the connection is ejected and the
   * next one is tried: nothing was sent yet, so this is safe whatever the method.
   */
  public Future<HttpClientRequest> connect() {
    return connect(settings.timeout());
  }

  /**
   * Like {@link #connect()} with another answer timeout (long polls wait longer by design); with
   * {@link Duration#ZERO} none is set, for a caller that sets it later ({@link HttpClientRequest#idleTimeout}).
   */
  public Future<HttpClientRequest> connect(Duration timeout) {
    return connect(new HashSet<>(), timeout);
  }

  /** How long an answer from this upstream may take (upstream.timeout). */
  public Duration timeout() {
    return settings.timeout();
  }

  private Future<HttpClientRequest> connect(Set<String> tried, Duration timeout) {
    ServiceInstance instance = balancer.choose(tried).orElse(null);
    if (instance == null) {
      return Future.failedFuture(UpstreamUnavailable.serviceUnavailable(
          tried.isEmpty() ? "no instance of " + name + " is registered" : "no instance of " + name + " accepts connections",
          Duration.ofSeconds(1)));
    }
    tried.add(instance.id());
    RequestOptions options = new RequestOptions()
        .setServer(SocketAddress.inetSocketAddress(instance.port(), instance.host()))
        .setConnectTimeout(settings.connectTimeout().toMillis());
    if (!timeout.isZero()) {
      options.setIdleTimeout(timeout.toMillis());
    }
    return client.get().request(options)
        .onSuccess(request -> request.response().onFailure(e -> {
          if (isTimeout(e)) {
            balancer.eject(instance);
          }
        }))
        .recover(e -> {
          if (e instanceof ConnectionPoolTooBusyException) {
            // this gateway's own queue for the instance is full: a local overload, not a failed instance,
            // so nothing is ejected (the load would only move onto the other instances) and nothing retried
            return Future.failedFuture(UpstreamUnavailable.serviceUnavailable(
                "too many requests are waiting for " + name + "; retry shortly", Duration.ofSeconds(1)));
          }
          balancer.eject(instance);
          LOG.warn("{} instance {}:{} refused a connection ({}); ejected for {} s", name, instance.host(),
              instance.port(), e.getMessage(), settings.ejectFor().toSeconds());
          return connect(tried, timeout);
        });
  }

  /**
   * Runs one exchange with this upstream under its bulkhead and breaker. Failures and 5xx answers
   * count against the breaker; a 5xx answer is still returned as it is. Fails with
   * {@link UpstreamUnavailable} (503 or 502) when no answer can be had.
   */
  public <T> Future<T> call(Supplier<Future<T>> exchange, ToIntFunction<T> status) {
    return call(exchange, status, () -> false, false);
  }

  /**
   * Like {@link #call(Supplier, ToIntFunction)}; an exchange that fails while {@code clientGone} says the
   * client has gone (it closed its connection, or was cut off for sending its body too slowly) is not
   * counted against the breaker: a client could otherwise open it for everyone by hanging up mid-upload.
   * A long poll takes its place in a bulkhead of its own ({@code upstream.maxLongPolls}): it holds it until
   * its answer, up to {@code upstream.longPollTimeout}, and a few callers' long polls must not fill the one
   * every other request needs.
   */
  @SuppressWarnings("unchecked")
  public <T> Future<T> call(Supplier<Future<T>> exchange, ToIntFunction<T> status, BooleanSupplier clientGone,
                            boolean longPoll) {
    if (balancer.instances().isEmpty()) {
      // nothing registered yet (or any more): not a failure of the service, so the breaker is left alone
      return Future.failedFuture(UpstreamUnavailable.serviceUnavailable("no instance of " + name + " is registered",
          Duration.ofSeconds(1)));
    }
    Bulkhead places = longPoll ? longPolls : bulkhead;
    if (!places.tryAcquire()) {
      bulkheadRejections.increment();
      return Future.failedFuture(UpstreamUnavailable.serviceUnavailable(longPoll
          ? "too many long polls are waiting for " + name + "; retry shortly, or read the current state without waitFor"
          : "too many requests are waiting for " + name + "; retry shortly", Duration.ofSeconds(1)));
    }
    return breaker.<T>execute(() -> exchange.get()
            .compose(answer -> status.applyAsInt(answer) >= 500
                ? Future.failedFuture(new ServerError(answer)) : Future.succeededFuture(answer))
            .recover(e -> Future.failedFuture(!(e instanceof ServerError) && clientGone.getAsBoolean()
                ? new ClientGone(e) : e)))
        .recover(e -> {
          if (e instanceof ServerError error) {
            return Future.succeededFuture((T) error.response);
          }
          return Future.failedFuture(translate(e));
        })
        .andThen(ar -> places.release());
  }

  /**
   * A complete, buffered exchange with this upstream (for the gateway's own calls: key sets,
   * composite reads), under the same bulkhead, breaker and timeout as proxied requests.
   */
  public Future<Answer> send(HttpMethod method, String uri, MultiMap headers) {
    return call(() -> connect().compose(request -> {
      request.setMethod(method).setURI(uri);
      request.headers().addAll(headers);
      return request.send().compose(response -> response.body()
          .map(body -> new Answer(response.statusCode(), response.headers(), body)));
    }), Answer::status);
  }

  /** A buffered upstream response. */
  public record Answer(int status, MultiMap headers, Buffer body) {
  }

  private Throwable translate(Throwable e) {
    if (e instanceof UpstreamUnavailable) {
      return e;
    }
    if (e instanceof OpenCircuitException) {
      return UpstreamUnavailable.serviceUnavailable(name + " is unavailable (circuit open); retry later",
          settings.breakerResetTimeout());
    }
    if (isTimeout(e)) {
      return UpstreamUnavailable.serviceUnavailable(name + " did not answer within " + settings.timeout().toMillis() + " ms",
          Duration.ofSeconds(1));
    }
    return UpstreamUnavailable.badGateway(name + " did not send a valid answer");
  }

  private static boolean isTimeout(Throwable e) {
    return e instanceof TimeoutException || e instanceof io.vertx.circuitbreaker.TimeoutException;
  }

  private static int stateCode(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }
}
