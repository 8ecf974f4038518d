package io.shopmesh.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy that injects network faults between two real processes: pass, delay, drop (refuse
 * new connections by closing them), blackhole (accept and swallow, never answer) and half-open
 * (requests reach the target, answers never come back). The mode applies to new data on every
 * connection at once, so a switch is immediate.
 */
public final class FaultProxy implements AutoCloseable {

  /** What happens to traffic. */
  public enum Mode {
    PASS, DELAY, DROP, BLACKHOLE, HALF_OPEN
  }

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final String targetHost;
  private final int targetPort;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.PASS;
  private volatile long delayMs;

  private FaultProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000));
    this.server = vertx.createNetServer().connectHandler(this::accept);
  }

  /** A proxy on a free local port forwarding to {@code host:port}. */
  public static FaultProxy start(Vertx vertx, String host, int port) {
    FaultProxy proxy = new FaultProxy(vertx, host, port);
    proxy.server.listen(0, "127.0.0.1").await();
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  public FaultProxy mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  public FaultProxy delay(long millis) {
    this.delayMs = millis;
    this.mode = Mode.DELAY;
    return this;
  }

  /**
   * Closes every connection open through the proxy now, as a crashed peer or a reset network
   * would; new connections are then handled by the current mode (e.g. refused in {@link Mode#DROP}).
   */
  public FaultProxy cutAll() {
    sockets.forEach(NetSocket::close);
    return this;
  }

  /** Client connections currently open through the proxy. */
  public int openConnections() {
    return open.get();
  }

  /** Client connections accepted since start. */
  public int acceptedConnections() {
    return accepted.get();
  }

  private void accept(NetSocket downstream) {
    accepted.incrementAndGet();
    if (mode == Mode.DROP) {
      downstream.close();
      return;
    }
    open.incrementAndGet();
    downstream.closeHandler(v -> open.decrementAndGet());
    downstream.pause();
    client.connect(targetPort, targetHost).onComplete(ar -> {
      if (ar.failed()) {
        downstream.close();
        return;
      }
      NetSocket upstream = ar.result();
      sockets.add(downstream);
      sockets.add(upstream);
      downstream.handler(data -> forward(data, upstream, true));
      upstream.handler(data -> forward(data, downstream, false));
      downstream.closeHandler(v -> {
        open.decrementAndGet();
        sockets.remove(downstream);
        upstream.close();
      });
      upstream.closeHandler(v -> {
        sockets.remove(upstream);
        downstream.close();
      });
      downstream.resume();
    });
  }

  private void forward(Buffer data, NetSocket to, boolean towardsTarget) {
    switch (mode) {
      case PASS -> to.write(data);
      case DELAY -> vertx.setTimer(Math.max(1, delayMs), t -> to.write(data));
      case HALF_OPEN -> {
        if (towardsTarget) {
          to.write(data);
        }
      }
      case BLACKHOLE, DROP -> {
        // swallowed: the peer waits for ever
      }
    }
  }

  @Override
  public void close() {
    server.close().await();
    client.close().await();
  }
}
