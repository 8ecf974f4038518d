package io.shopmesh.events;

import io.shopmesh.events.dlq.DeadLetterRoutes;
import io.shopmesh.events.dlq.DeadLetters;
import io.shopmesh.events.inbox.ConsumerSettings;
import io.shopmesh.events.inbox.InboxConsumer;
import io.shopmesh.events.outbox.OutboxRelay;
import io.shopmesh.events.outbox.RelaySettings;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.db.Migrations;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.Shutdown;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * What a service's {@code *Main} calls to join the event backbone. A typical wiring:
 * <pre>{@code
 * Pool pool = service.postgres(db);
 * return Events.migrate(service.vertx(), db, pool)
 *     .compose(n -> Events.relay(service, pool, db, kafka))
 *     .compose(v -> Events.consume(service, pool, kafka, "inventory", List.of(Topics.ORDERS), router))
 *     .compose(v -> service.serveHttp(http, vertx -> service.router(vertx, http).routes(r -> {
 *       Events.mountAdmin(r, verifier, vertx, kafka);
 *       ...
 *     }).build()));
 * }</pre>
 * The relay and consumers are stopped in the {@link Shutdown.Phase#MESSAGING} phase: after HTTP
 * has drained (the last requests' events are in the outbox), before the pool closes.
 */
public final class Events {

  private Events() {
  }

  /**
   * Creates or upgrades the outbox and inbox tables (history in {@code flyway_events_history}); Flyway
   * runs on a worker thread, and only when {@code pool}'s read of the history finds something to do.
   */
  public static Future<Integer> migrate(Vertx vertx, PgConfig db, Pool pool) {
    return Migrations.apply(vertx, db, pool, "flyway_events_history", "classpath:db/events");
  }

  /**
   * Deploys this instance's outbox relay (see {@link OutboxRelay}): it creates the event topics
   * and their dead-letter topics when missing, competes for the leader lock, registers its meters
   * on {@code service.registry()} and, at shutdown, finishes its batch and closes its producer.
   * Settings: {@link RelaySettings}.
   */
  public static Future<Void> relay(ServiceContext service, Pool pool, PgConfig db, KafkaConfig kafka) {
    RelaySettings settings = RelaySettings.from(service.settings());
    return service.deploy("outbox relay", Shutdown.Phase.MESSAGING,
        () -> new OutboxRelay(pool, db.connectOptions(), kafka, settings, service.registry(), service.name()),
        new DeploymentOptions()).mapEmpty();
  }

  /**
   * Deploys a consumer named {@code consumerName} of {@code topics} (logical names such as
   * {@link Topics#ORDERS}; the deployment prefix is applied) that applies each event through
   * {@code router} exactly once (see {@link InboxConsumer}). Its group is {@code consumer.group},
   * by default the consumer's name. At shutdown it finishes the events in progress and commits
   * their offsets. Settings: {@link ConsumerSettings}.
   */
  public static Future<Void> consume(ServiceContext service, Pool pool, KafkaConfig kafka, String consumerName,
                                     List<String> topics, EventRouter router) {
    ConsumerSettings settings = ConsumerSettings.from(service.settings(), consumerName);
    RelaySettings topicSettings = RelaySettings.from(service.settings());
    return service.deploy("event consumer " + consumerName, Shutdown.Phase.MESSAGING,
        () -> new InboxConsumer(pool, kafka, consumerName, topics, router, settings, topicSettings,
            service.registry()),
        new DeploymentOptions()).mapEmpty();
  }

  /**
   * Adds the admin-only dead-letter endpoints ({@code GET /admin/dlq/{topic}},
   * {@code POST /admin/dlq/{topic}/replay[?id=]}) to a service router; see {@link DeadLetterRoutes}.
   */
  public static void mountAdmin(Router router, TokenVerifier verifier, Vertx vertx, KafkaConfig kafka) {
    DeadLetterRoutes.mount(router, verifier, vertx, new DeadLetters(kafka));
  }
}
