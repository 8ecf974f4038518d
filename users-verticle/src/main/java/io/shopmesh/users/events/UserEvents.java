package io.shopmesh.users.events;

import io.shopmesh.events.Outbox;
import io.shopmesh.events.contracts.UserRegistered;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.users.domain.User;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/** What the users service tells the others, written to the outbox inside the business transaction. */
public final class UserEvents {

  private final Outbox outbox;

  public UserEvents(KafkaConfig kafka) {
    this.outbox = new Outbox(kafka);
  }

  /** {@code UserRegistered} for a customer who just signed up, through the registration transaction {@code tx}. */
  public Future<Void> registered(SqlClient tx, User user) {
    return outbox.append(tx, new UserRegistered(user.id().toString(), user.email(), user.name(), user.createdAt()))
        .mapEmpty();
  }
}
