package io.shopmesh.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for an upstream in gateway tests: it answers every request with
 * what it received ({@code service, method, uri, headers, body}) so tests can see what crossed the
 * gateway, and can be told to fail (a status), to hang (never answer), to hold long polls or to serve fixed documents
 * (e.g. a JWK set at {@code /.well-known/jwks.json}).
 */
public final class EchoUpstream implements AutoCloseable {

  private final String service;
  private final HttpServer server;
  private final AtomicInteger hits = new AtomicInteger();
  private final Map<String, JsonObject> documents = new ConcurrentHashMap<>();
  private volatile int failWith;
  private volatile boolean hang;
  private volatile boolean holdLongPolls;
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private final List<String> uris = new CopyOnWriteArrayList<>();

  private EchoUpstream(String service, HttpServer server) {
    this.service = service;
    this.server = server;
  }

  public static EchoUpstream start(Vertx vertx, String service) {
    EchoUpstream[] self = new EchoUpstream[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> self[0].handle(request));
    self[0] = new EchoUpstream(service, server);
    server.listen(0, "127.0.0.1").await();
    return self[0];
  }

  private void handle(HttpServerRequest request) {
    hits.incrementAndGet();
    uris.add(request.uri());
    if (hang) {
      return;
    }
    if (holdLongPolls && request.getParam("waitFor") != null) {
      held.add(request);
      return;
    }
    JsonObject document = documents.get(request.path());
    if (document != null) {
      request.response().putHeader("Content-Type", "application/json").end(document.toBuffer());
      return;
    }
    request.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      JsonObject echo = new JsonObject().put("service", service).put("method", request.method().name())
          .put("uri", request.uri()).put("headers", headers).put("body", body.toString());
      request.response().setStatusCode(failWith > 0 ? failWith : 200)
          .putHeader("Content-Type", "application/json")
          .putHeader("Connection", "X-Hop")
          .putHeader("X-Hop", "must not reach the client")
          .end(echo.toBuffer());
    });
  }

  /** Serves {@code document} at {@code path} from now on. */
  public EchoUpstream serve(String path, JsonObject document) {
    documents.put(path, document);
    return this;
  }

  /** Answers every echo with {@code status} (0: back to 200). */
  public EchoUpstream failWith(int status) {
    this.failWith = status;
    return this;
  }

  /** Stops answering (requests are accepted and never answered), or answers again. */
  public EchoUpstream hang(boolean hang) {
    this.hang = hang;
    return this;
  }

  /**
   * Holds requests with a {@code waitFor} parameter (long polls) unanswered while {@code hold}; when
   * set back to false, the held ones are answered (204).
   */
  public EchoUpstream holdLongPolls(boolean hold) {
    this.holdLongPolls = hold;
    if (!hold) {
      held.forEach(request -> request.response().setStatusCode(204).end());
      held.clear();
    }
    return this;
  }

  public int hits() {
    return hits.get();
  }

  /** The URIs of the requests received so far, in order. */
  public List<String> uris() {
    return List.copyOf(uris);
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
