package io.shopmesh.events.dlq;

import io.shopmesh.platform.auth.BearerAuth;
import io.shopmesh.platform.auth.Identity;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The admin endpoints over {@link DeadLetters}, for every service that consumes events:
 * <ul>
 *   <li>{@code GET /admin/dlq/{topic}[?limit=N]}: {@code {topic, count, shown, deadLetters: [...]}}: how many
 *   dead letters the topic holds, and the newest {@code N} of them (default {@value DeadLetters#DEFAULT_LISTED}, at most
 *   {@value DeadLetters#MAX_LISTED}), oldest first</li>
 *   <li>{@code POST /admin/dlq/{topic}/replay[?id=<eventId>]}: {@code {replayed: n}}</li>
 * </ul>
 * {@code topic} is the logical name ({@code orders.events}). Only tokens with the {@code admin}
 * role get through. Kafka is read on a worker thread.
 */
public final class DeadLetterRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRoutes.class);

  private final Vertx vertx;
  private final DeadLetters deadLetters;

  private DeadLetterRoutes(Vertx vertx, DeadLetters deadLetters) {
    this.vertx = vertx;
    this.deadLetters = deadLetters;
  }

  /** Adds the endpoints to {@code router}, behind bearer authentication and the admin role. */
  public static void mount(Router router, TokenVerifier verifier, Vertx vertx, DeadLetters deadLetters) {
    DeadLetterRoutes routes = new DeadLetterRoutes(vertx, deadLetters);
    router.route("/admin/dlq/*").handler(BearerAuth.required(verifier)).handler(BearerAuth.role(Identity.ADMIN));
    router.get("/admin/dlq/:topic").respond(routes::list);
    router.post("/admin/dlq/:topic/replay").respond(routes::replay);
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    String limitParam = ctx.queryParams().get("limit");
    int limit = DeadLetters.listLimit(limitParam);
    if (limit == 0) {
      return Future.failedFuture(ProblemException.badRequest("limit: a whole number from 1 to "
          + DeadLetters.MAX_LISTED + ", not '" + limitParam + "'"));
    }
    return blocking(() -> deadLetters.list(topic, limit)).map(listing -> new JsonObject()
        .put("topic", topic)
        .put("count", listing.total())
        .put("shown", listing.newest().size())
        .put("deadLetters", new JsonArray(listing.newest().stream().map(DeadLetter::toJson).toList())));
  }

  private Future<JsonObject> replay(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    String id = ctx.queryParams().get("id");
    if (id != null) {
      try {
        UUID.fromString(id);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(ProblemException.badRequest("id: not an event id (UUID): '" + id + "'"));
      }
    }
    String who = BearerAuth.identity(ctx).userId();
    return blocking(() -> deadLetters.replay(topic, id)).map(n -> {
      LOG.info("{} replayed {} dead letters of {}{}", who, n, topic, id == null ? "" : " (event " + id + ")");
      return new JsonObject().put("replayed", n);
    });
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false).recover(e -> {
      if (e instanceof IllegalArgumentException || e instanceof NoSuchElementException) {
        return Future.failedFuture(ProblemException.notFound(e.getMessage()));
      }
      LOG.warn("dead-letter request failed: {}", e.toString());
      return Future.failedFuture(ProblemException.unavailable("Kafka did not answer: " + e.getMessage(),
          Duration.ofSeconds(5)));
    });
  }
}
