package io.shopmesh.users;

import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.ServiceRunner;
import io.vertx.core.Future;

/** The users service: accounts, passwords and tokens. */
public final class UsersMain {

  private UsersMain() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("users", args, UsersMain::start);
  }

  public static Future<?> start(ServiceContext service) {
    UsersConfig config = UsersConfig.from(service.settings());
    service.postgres(config.db());
    service.redis(config.redis(), true);
    service.kafkaReadiness(config.kafka(), false);
    return service.migrate(config.db())
        .compose(applied -> service.serveHttp(config.http(), vertx -> service.router(vertx, config.http()).build()));
  }
}
