package io.shopmesh.users.store;

import io.shopmesh.users.domain.Credentials;
import io.shopmesh.users.domain.EmailTaken;
import io.shopmesh.platform.paging.PageCursor;
import io.shopmesh.users.domain.User;
import io.shopmesh.users.domain.UserPage;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code users} table. Emails are stored lower-cased and unique; the password hash is read
 * only as {@link Credentials} for a login and never as part of a {@link User}.
 */
public final class UserRepository {

  private static final String COLUMNS = "id, email, name, roles, created_at, updated_at";
  private static final String INSERT = "INSERT INTO users (id, email, name, password_hash, roles) "
      + "VALUES ($1, $2, $3, $4, $5) RETURNING " + COLUMNS;
  private static final String INSERT_IF_ABSENT = "INSERT INTO users (id, email, name, password_hash, roles) "
      + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM users WHERE id = $1";
  private static final String BY_EMAIL = "SELECT " + COLUMNS + " FROM users WHERE email = $1";
  private static final String CREDENTIALS = "SELECT id, roles, password_hash FROM users WHERE email = $1";
  private static final String REHASH = "UPDATE users SET password_hash = $3, updated_at = now() "
      + "WHERE id = $1 AND password_hash = $2";
  private static final String RENAME = "UPDATE users SET name = $2, updated_at = now() WHERE id = $1 RETURNING "
      + COLUMNS;
  private static final String FIRST_PAGE = "SELECT " + COLUMNS + " FROM users ORDER BY created_at, id LIMIT $1";
  private static final String NEXT_PAGE = "SELECT " + COLUMNS + " FROM users WHERE (created_at, id) > ($1, $2) "
      + "ORDER BY created_at, id LIMIT $3";
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public UserRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts a new account through {@code tx} (the registration transaction); fails with
   * {@link EmailTaken} when the email is in use.
   */
  public Future<User> insert(SqlClient tx, UUID id, String email, String name, String passwordHash, List<String> roles) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(id, email, name, passwordHash, roles.toArray(String[]::new)))
        .recover(UserRepository::describe)
        .map(rows -> user(rows.iterator().next()));
  }

  /** Inserts an account unless one with this email exists; true when inserted. */
  public Future<Boolean> insertIfAbsent(UUID id, String email, String name, String passwordHash, List<String> roles) {
    return pool.preparedQuery(INSERT_IF_ABSENT)
        .execute(Tuple.of(id, email, name, passwordHash, roles.toArray(String[]::new)))
        .recover(UserRepository::describe)
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Optional<User>> byId(UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(UserRepository::first);
  }

  public Future<Optional<User>> byEmail(String email) {
    return pool.preparedQuery(BY_EMAIL).execute(Tuple.of(email)).map(UserRepository::first);
  }

  public Future<Optional<Credentials>> credentials(String email) {
    return pool.preparedQuery(CREDENTIALS).execute(Tuple.of(email)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Credentials(row.getUUID("id"), List.of(row.getArrayOfStrings("roles")),
          row.getString("password_hash")));
    });
  }

  /** Replaces a hash with a stronger one, unless the password changed meanwhile. */
  public Future<Void> replaceHash(UUID id, String oldHash, String newHash) {
    return pool.preparedQuery(REHASH).execute(Tuple.of(id, oldHash, newHash)).recover(UserRepository::describe)
        .mapEmpty();
  }

  public Future<Optional<User>> rename(UUID id, String name) {
    return pool.preparedQuery(RENAME).execute(Tuple.of(id, name)).map(UserRepository::first);
  }

  /** Up to {@code limit} accounts after {@code after} (from the start when empty), oldest first. */
  public Future<UserPage> page(Optional<PageCursor> after, int limit) {
    Future<RowSet<Row>> rows = after
        .map(c -> pool.preparedQuery(NEXT_PAGE).execute(Tuple.of(OffsetDateTime.ofInstant(c.createdAt(), ZoneOffset.UTC),
            c.id(), limit + 1)))
        .orElseGet(() -> pool.preparedQuery(FIRST_PAGE).execute(Tuple.of(limit + 1)));
    return rows.map(set -> {
      List<User> users = new ArrayList<>();
      set.forEach(row -> users.add(user(row)));
      if (users.size() <= limit) {
        return new UserPage(users, Optional.empty());
      }
      List<User> page = users.subList(0, limit);
      User last = page.get(limit - 1);
      return new UserPage(page, Optional.of(new PageCursor(last.createdAt(), last.id())));
    });
  }

  private static Optional<User> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(user(rows.iterator().next()));
  }

  private static User user(Row row) {
    return new User(row.getUUID("id"), row.getString("email"), row.getString("name"),
        List.of(row.getArrayOfStrings("roles")), row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant());
  }

  /**
   * A duplicate email is a domain outcome. Any other write failure is reported by SQLSTATE and
   * constraint only: Postgres details can quote the whole row, password hash included.
   */
  private static <T> Future<T> describe(Throwable failure) {
    if (failure instanceof PgException pg) {
      if (UNIQUE_VIOLATION.equals(pg.getSqlState())) {
        return Future.failedFuture(new EmailTaken());
      }
      return Future.failedFuture(new IllegalStateException("writing to users failed with SQLSTATE "
          + pg.getSqlState() + (pg.getConstraint() != null ? " on " + pg.getConstraint() : "")));
    }
    return Future.failedFuture(failure);
  }
}
