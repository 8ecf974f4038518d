package io.shopmesh.platform.http;

import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slowloris: clients that trickle their request head or body are cut off by the server's header and
 * body timeouts, however busy they keep the connection, and they do not keep anyone else waiting.
 */
class SlowClientsTest {

  private static final int ATTACKERS = 200;

  private static Vertx vertx;
  private static Vertx attackerVertx;
  private static ServiceContext service;
  private static WebClient client;
  private static NetClient attacker;
  private static int port;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    attackerVertx = Vertx.vertx();
    Settings settings = Settings.of(new JsonObject().put("http", new JsonObject().put("port", 0).put("instances", 1)
        .put("headerTimeout", "2s").put("keepAliveTimeout", "3s").put("bodyTimeout", "3s")
        .put("idleTimeout", "60s")));
    service = new ServiceContext("slow", vertx, settings, Metrics.registry("slow"));
    HttpConfig http = HttpConfig.from(settings, 0);
    port = service.serveHttp(http, v -> service.router(v, http).routes(router -> {
      router.get("/hello").respond(ctx -> Future.succeededFuture(new JsonObject().put("hello", "world")));
      router.post("/echo").respond(ctx -> Future.succeededFuture(ctx.body().asJsonObject()));
    }).build()).await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(1));
    attacker = attackerVertx.createNetClient();
  }

  @AfterAll
  static void stop() {
    service.shutdown().await();
    attackerVertx.close().await();
    vertx.close().await();
  }

  @Test
  @DisplayName("clients trickling their request heads are cut off after the header timeout, while everyone else is"
      + " served at once")
  void slowHeads() {
    assertThat(client.get("/hello").send().await().statusCode()).as("before the attack").isEqualTo(200);
    Trickle attack = trickle(ATTACKERS, "GET /hello HTTP/1.1\r\nHost: x\r\n", "X-Slow: y\r\n");

    for (int i = 0; i < 20; i++) {
      assertThat(client.get("/hello").send().await().statusCode()).as("a normal request during the attack")
          .isEqualTo(200);
    }
    assertThat(attack.allClosed(Duration.ofSeconds(15)))
        .allSatisfy(ms -> assertThat(ms).as("cut off, not before the header timeout (ms)").isGreaterThanOrEqualTo(2000L));
  }

  @Test
  @DisplayName("clients trickling their request bodies are cut off after the body timeout")
  void slowBodies() {
    Trickle attack = trickle(50, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100000\r\n\r\n{\"a\":\"", "x");

    assertThat(attack.allClosed(Duration.ofSeconds(15)))
        .allSatisfy(ms -> assertThat(ms).as("cut off, not before the body timeout (ms)").isGreaterThanOrEqualTo(3000L));
    assertThat(client.get("/hello").send().await().statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a client that sends whole requests on a kept-alive connection keeps it, with pauses longer than the"
      + " header timeout")
  void keptAliveConnectionsStay() {
    RawConnection connection = RawConnection.open(attacker, port);
    connection.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    connection.awaitResponses(1);
    vertx.timer(2500).await();
    connection.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    connection.awaitResponses(2);

    assertThat(connection.closed()).as("the same connection served both requests").isFalse();
  }

  @Test
  @DisplayName("a client that trickles its next request head on a kept-alive connection is cut off after the"
      + " keep-alive timeout")
  void keptAliveTrickleIsCutOff() {
    RawConnection connection = RawConnection.open(attacker, port);
    connection.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    connection.awaitResponses(1);
    long answered = System.nanoTime();
    long drip = attackerVertx.setPeriodic(100, t -> connection.send("X"));
    try {
      connection.awaitClosed(Duration.ofSeconds(15));
    } finally {
      attackerVertx.cancelTimer(drip);
    }
    assertThat((System.nanoTime() - answered) / 1_000_000).as("cut off, not before the keep-alive timeout (ms)")
        .isGreaterThanOrEqualTo(3000L);
  }

  /** A plain TCP connection speaking HTTP/1.1 by hand: what it received, and whether the server closed it. */
  private static final class RawConnection {

    private final NetSocket socket;
    private final StringBuffer received = new StringBuffer();
    private final Promise<Void> closed = Promise.promise();

    private RawConnection(NetSocket socket) {
      this.socket = socket;
      socket.handler(buffer -> received.append(buffer.toString()));
      socket.closeHandler(v -> closed.tryComplete());
    }

    static RawConnection open(NetClient client, int port) {
      return new RawConnection(client.connect(port, "127.0.0.1").await());
    }

    void send(String text) {
      if (!closed.future().isComplete()) {
        socket.write(text);
      }
    }

    void awaitResponses(int count) {
      org.awaitility.Awaitility.await("response " + count).atMost(Duration.ofSeconds(10))
          .until(() -> received.toString().split("HTTP/1.1 200", -1).length - 1 >= count);
    }

    boolean closed() {
      return closed.future().isComplete();
    }

    void awaitClosed(Duration timeout) {
      closed.future().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).await();
    }
  }

  /** Connections trickling bytes, and how long each stayed open (ms) once closed by the server. */
  private record Trickle(int count, ConcurrentLinkedQueue<Long> closedAfter, Promise<Void> done) {

    /** Waits until every connection was closed (fails after {@code timeout}) and returns their lifetimes. */
    Collection<Long> allClosed(Duration timeout) {
      try {
        done.future().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).await();
      } catch (RuntimeException e) {
        throw new AssertionError("only " + closedAfter.size() + " of " + count + " connections were cut off within "
            + timeout + " (after " + closedAfter + " ms)", e);
      }
      return closedAfter;
    }
  }

  /** Opens {@code count} connections that send {@code head}, then {@code drip} every 100 ms while open. */
  private static Trickle trickle(int count, String head, String drip) {
    Trickle attack = new Trickle(count, new ConcurrentLinkedQueue<>(), Promise.promise());
    List<Future<NetSocket>> opened = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long started = System.nanoTime();
      opened.add(attacker.connect(port, "127.0.0.1").onSuccess(socket -> {
        long timer = attackerVertx.setPeriodic(100, t -> socket.write(drip));
        socket.closeHandler(v -> {
          attackerVertx.cancelTimer(timer);
          attack.closedAfter().add((System.nanoTime() - started) / 1_000_000);
          if (attack.closedAfter().size() == count) {
            attack.done().tryComplete();
          }
        });
        socket.write(head);
      }));
    }
    Future.all(opened).await();
    return attack;
  }
}
