package io.shopmesh.users;

import io.shopmesh.events.Events;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.config.DiscoveryConfig;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.ServiceRunner;
import io.shopmesh.platform.work.WorkPool;
import io.shopmesh.users.accounts.Accounts;
import io.shopmesh.users.accounts.Sessions;
import io.shopmesh.users.domain.Argon2id;
import io.shopmesh.users.events.UserEvents;
import io.shopmesh.users.http.UsersRoutes;
import io.shopmesh.users.store.LoginAttempts;
import io.shopmesh.users.store.RefreshTokenStore;
import io.shopmesh.users.store.UserRepository;
import io.shopmesh.users.tokens.AccessTokens;
import io.shopmesh.users.tokens.SigningKeys;
import io.shopmesh.users.work.Passwords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;

/**
 * The users service: accounts, passwords and tokens. Reads its keys, migrates its database and
 * the outbox, starts the password workers, creates the admin account if missing, starts the
 * outbox relay, then serves HTTP.
 */
public final class UsersMain {

  private UsersMain() {
  }

  public static void main(String[] args) {
    ServiceRunner.run("users", args, UsersMain::start);
  }

  public static Future<?> start(ServiceContext service) {
    UsersConfig config = UsersConfig.from(service.settings());
    Vertx vertx = service.vertx();
    Pool pool = service.postgres(config.db());
    Redis redis = service.redis(config.redis(), true);
    service.kafkaReadiness(config.kafka(), false);
    UserRepository users = new UserRepository(pool);
    // the keys, the schema and the password workers are independent: they start side by side
    Future<SigningKeys> signingKeys = service.step("signing keys", () -> vertx.executeBlocking(
        () -> SigningKeys.load(config.jwt().keysDir(), config.jwt().activeKid())));
    Future<WorkPool> workers = service.step("password workers", () -> WorkPool.deploy(service, "passwords",
        config.passwords()));
    return Future.all(signingKeys, workers, service.step("migrations", () -> Future.all(service.migrate(config.db(), pool),
            Events.migrate(vertx, config.db(), pool))))
        .compose(ready -> {
          SigningKeys keys = signingKeys.result();
          Passwords passwords = Passwords.create(workers.result(),
              new Argon2id(Argon2id.OWASP, workers.result().size()));
          Accounts accounts = new Accounts(pool, users, passwords, new UserEvents(config.kafka()));
          Sessions sessions = new Sessions(users, passwords,
              new LoginAttempts(redis, config.redis().keyPrefix(), config.login().maxAttempts(),
                  config.login().window()),
              new RefreshTokenStore(redis, config.redis().keyPrefix(), config.jwt().refreshTokenTtl()),
              new AccessTokens(vertx, keys.active(), config.auth(), config.jwt().accessTokenTtl()));
          TokenVerifier verifier = new TokenVerifier(vertx, config.auth());
          verifier.setKeys(keys.jwks().getJsonArray("keys"));
          UsersRoutes routes = new UsersRoutes(accounts, sessions, verifier, keys.jwks(),
              config.login().trustedProxies());
          return Future.all(
              service.step("admin account", () -> accounts.ensureAdmin(config.admin())),
              service.step("outbox relay", () -> Events.relay(service, pool, config.db(), config.kafka())),
              service.step("http server", () -> service.serveHttp(config.http(),
                  eventLoop -> routes.build(service.router(eventLoop, config.http())))));
        })
        .compose(started -> service.step("discovery",
            () -> service.announce(DiscoveryConfig.from(service.settings()))));
  }
}
