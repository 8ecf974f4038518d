package io.shopmesh.platform.http;

import com.fasterxml.jackson.core.JacksonException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place where failures become responses: every error of every service is an RFC 9457
 * {@code application/problem+json} document with {@code type, title, status, detail, instance}
 * and the {@code requestId}. A dependency that is down (a lost or refused database connection, a
 * database restarting) is a 503 with {@code Retry-After}: the request may simply be retried.
 * Other unexpected failures are logged with their stack trace and answered with a 500 that
 * reveals nothing internal.
 */
public final class ProblemHandler implements Handler<RoutingContext> {

  public static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);
  private static final long OUTAGE_LOG_INTERVAL_NANOS = 1_000_000_000L;
  private static final AtomicLong OUTAGE_LOGGED_AT = new AtomicLong(System.nanoTime() - OUTAGE_LOG_INTERVAL_NANOS);

  @Override
  public void handle(RoutingContext ctx) {
    ProblemException problem = toProblem(ctx);
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // too late for a problem document: cut the connection so the client sees a broken response
      ctx.request().connection().close();
      return;
    }
    JsonObject body = document(problem, ctx.request().path(), RequestId.of(ctx));
    response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE);
    if (problem.retryAfter() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, problem.retryAfter().toSeconds())));
    }
    if (problem.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"shopmesh\"");
    }
    response.end(body.toBuffer());
  }

  /** The RFC 9457 document of {@code problem} (for places that answer outside a router, like a proxy). */
  public static JsonObject document(ProblemException problem, String instance, String requestId) {
    JsonObject body = new JsonObject()
        .put("type", "about:blank")
        .put("title", problem.title())
        .put("status", problem.status())
        .put("detail", problem.detail())
        .put("instance", instance)
        .put("requestId", requestId);
    problem.extensions().forEach(body::put);
    return body;
  }

  private static ProblemException toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ProblemException problem) {
      return problem;
    }
    if (failure instanceof HttpException http) {
      return ofStatus(http.getStatusCode(), http.getPayload(), ctx);
    }
    if (failure instanceof DecodeException) {
      return ProblemException.badRequest("the request body is not valid JSON");
    }
    if (failure instanceof ConnectionPoolTooBusyException) {
      return ProblemException.unavailable("the service is at capacity; retry shortly", Duration.ofSeconds(1));
    }
    if (hasSqlState(failure, "22021", "22P05")) {
      // text the database cannot hold (a NUL character) reached a query: the input's fault, not the service's
      return ProblemException.badRequest("the request holds characters that cannot be stored or searched (such as"
          + " NUL)");
    }
    if (isDependencyDown(failure)) {
      // not a bug of this request: its database (or another dependency) is restarting or unreachable;
      // during an outage every request fails so, hence one line per second at most
      long now = System.nanoTime();
      long last = OUTAGE_LOGGED_AT.get();
      if (now - last >= OUTAGE_LOG_INTERVAL_NANOS && OUTAGE_LOGGED_AT.compareAndSet(last, now)) {
        LOG.warn("{} {} failed, a dependency is unavailable (logged once a second at most): {}",
            ctx.request().method(), ctx.request().path(), failure.toString());
      }
      return ProblemException.unavailable("a dependency of the service is unavailable; retry shortly",
          Duration.ofSeconds(1));
    }
    if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      // a handler refused the request with a client error, with or without an exception (vertx-web's CORS
      // handler: 403 and "CORS Rejected - Invalid origin"): the client's fault, so never a 500
      String cors = failure != null && failure.getMessage() != null && failure.getMessage().startsWith("CORS Rejected")
          ? "this cross-origin request is not allowed (" + failure.getMessage() + ")" : null;
      return ofStatus(ctx.statusCode(), cors, ctx);
    }
    LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    return new ProblemException(500, "Internal Server Error",
        "the request could not be completed; quote the requestId when reporting it");
  }

  /**
   * A lost, reset or refused connection, or a database that says it is shutting down, starting up or out
   * of connections (SQLSTATE class 08, 57P01-57P03, 53300): the client may retry, so a 503.
   */
  private static boolean hasSqlState(Throwable failure, String... states) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DatabaseException db && db.getSqlState() != null) {
        for (String state : states) {
          if (state.equals(db.getSqlState())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isDependencyDown(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      // a dependency's connection failed: refused (ConnectException), reset or a broken pipe under a query (its
      // server killed: a plain IOException from the socket write), or found closed (ClosedChannelException);
      // Jackson's exceptions are IOExceptions too, but of parsing, not of a connection
      if (t instanceof ClosedConnectionException || t instanceof IOException && !(t instanceof JacksonException)
          || t instanceof io.netty.channel.ConnectTimeoutException) {
        return true;
      }
      if (t instanceof DatabaseException db && db.getSqlState() != null) {
        String state = db.getSqlState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
            || state.equals("53300")) {
          return true;
        }
      }
    }
    return false;
  }

  private static ProblemException ofStatus(int status, String payload, RoutingContext ctx) {
    String detail = switch (status) {
      case 404 -> "no resource at " + ctx.request().path();
      case 405 -> ctx.request().method() + " is not allowed on " + ctx.request().path();
      case 413 -> "the request body is larger than this endpoint accepts";
      case 415 -> "unsupported content type " + ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
      case 431 -> "the request headers are too large";
      default -> payload != null && !payload.isBlank() ? payload : HttpResponseStatus.valueOf(status).reasonPhrase();
    };
    String title = HttpResponseStatus.valueOf(status).reasonPhrase();
    return new ProblemException(status, title, detail, null, Map.of());
  }
}
