package io.shopmesh.users.accounts;

import io.shopmesh.events.UuidV7;
import io.shopmesh.platform.auth.Identity;
import io.shopmesh.platform.config.ConfigException;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.users.UsersConfig;
import io.shopmesh.users.domain.NewAccount;
import io.shopmesh.platform.paging.PageCursor;
import io.shopmesh.users.domain.User;
import io.shopmesh.users.domain.UserPage;
import io.shopmesh.users.events.UserEvents;
import io.shopmesh.users.store.UserRepository;
import io.shopmesh.users.work.Passwords;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Accounts: sign-up, profiles, the admin's list, and the bootstrap admin. */
public final class Accounts {

  private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);

  private final Pool pool;
  private final UserRepository users;
  private final Passwords passwords;
  private final UserEvents events;

  public Accounts(Pool pool, UserRepository users, Passwords passwords, UserEvents events) {
    this.pool = pool;
    this.users = users;
    this.passwords = passwords;
    this.events = events;
  }

  /**
   * Creates a customer account and its {@code UserRegistered} event in one transaction; fails
   * with 409 when the email is taken, 503 when the password workers are full.
   */
  public Future<User> register(NewAccount account) {
    return passwords.hash(account.password())
        .compose(hash -> pool.withTransaction(tx ->
            users.insert(tx, UuidV7.next(), account.email(), account.name(), hash, List.of(User.CUSTOMER))
                .compose(user -> events.registered(tx, user).map(user))))
        .onSuccess(user -> LOG.info("account {} registered", user.id()));
  }

  /** The caller's own account; 404 when it was deleted after the token was issued. */
  public Future<User> me(Identity caller) {
    return user(caller, caller.userId());
  }

  public Future<User> rename(Identity caller, String name) {
    return users.rename(parse(caller.userId()), NewAccount.validName(name)).map(found -> found.orElseThrow(
        () -> ProblemException.notFound("the account no longer exists")));
  }

  /**
   * An account by id, for an admin or its owner. Anyone else gets the same 404 as for an id that
   * does not exist, so ids cannot be probed.
   */
  public Future<User> user(Identity caller, String id) {
    ProblemException notFound = ProblemException.notFound("no account with id " + id);
    if (!caller.isAdmin() && !caller.userId().equals(id)) {
      return Future.failedFuture(notFound);
    }
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(notFound);
    }
    return users.byId(uuid).map(found -> found.orElseThrow(() -> notFound));
  }

  public Future<UserPage> page(Optional<PageCursor> after, int limit) {
    return users.page(after, limit);
  }

  /**
   * Creates the configured admin account when no account has its email. An existing account is
   * left as it is (never promoted: someone may have signed up with that email first; that is
   * logged as an error).
   */
  public Future<Void> ensureAdmin(UsersConfig.Admin admin) {
    if (admin.email().isEmpty()) {
      return Future.succeededFuture();
    }
    String email = NewAccount.normalizeEmail(admin.email().get());
    return users.byEmail(email).compose(existing -> {
      if (existing.isPresent()) {
        if (!existing.get().roles().contains(User.ADMIN)) {
          LOG.error("admin.email {} belongs to an account without the admin role; it was not promoted", email);
        }
        return Future.succeededFuture();
      }
      String password = admin.password().orElseThrow(() -> new ConfigException(
          "config key 'admin.password' is required to create the admin account " + email
              + ": set env SHOPMESH_ADMIN_PASSWORD"));
      NewAccount account;
      try {
        account = NewAccount.validate(email, password, "Administrator");
      } catch (ProblemException e) {
        throw new ConfigException("the admin account from config is invalid: " + e.extensions().get("errors"));
      }
      return passwords.hash(account.password())
          .compose(hash -> users.insertIfAbsent(UuidV7.next(), account.email(), account.name(), hash, List.of(User.ADMIN)))
          .onSuccess(created -> {
            if (created) {
              LOG.info("admin account {} created", email);
            }
          })
          .mapEmpty();
    });
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("the account no longer exists");
    }
  }
}
