package io.shopmesh.users.accounts;

import io.shopmesh.platform.auth.Identity;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.work.WorkPool;
import io.shopmesh.users.domain.Credentials;
import io.shopmesh.users.domain.NewAccount;
import io.shopmesh.users.store.LoginAttempts;
import io.shopmesh.users.store.RefreshTokenStore;
import io.shopmesh.users.store.RefreshTokenStore.Reused;
import io.shopmesh.users.store.RefreshTokenStore.Rotated;
import io.shopmesh.users.store.UserRepository;
import io.shopmesh.users.tokens.AccessTokens;
import io.shopmesh.users.work.Passwords;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * Logins and their token pairs: login checks a password and starts a refresh-token family,
 * refresh rotates within the family, logout revokes it. Access tokens are not revocable: they
 * stay valid until their short expiry.
 */
public final class Sessions {

  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
  static final String BAD_CREDENTIALS = "the email or password is not correct";
  static final String BAD_REFRESH = "the refresh token is not valid; log in again";

  private final UserRepository users;
  private final Passwords passwords;
  private final LoginAttempts attempts;
  private final RefreshTokenStore refreshTokens;
  private final AccessTokens accessTokens;

  public Sessions(UserRepository users, Passwords passwords, LoginAttempts attempts, RefreshTokenStore refreshTokens,
                  AccessTokens accessTokens) {
    this.users = users;
    this.passwords = passwords;
    this.attempts = attempts;
    this.refreshTokens = refreshTokens;
    this.accessTokens = accessTokens;
  }

  /** An access token and the refresh token that renews it; the string form shows neither. */
  public record TokenPair(String accessToken, long expiresIn, String refreshToken) {

    @Override
    public String toString() {
      return "TokenPair[expiresIn=" + expiresIn + "]";
    }
  }

  /**
   * Checks the password, then starts a new family. Unknown email and wrong password fail alike
   * (same 401, same work); 429 when the account or the address used up its failed attempts; 503
   * at once, before any I/O, when the password workers are full.
   */
  public Future<TokenPair> login(String email, String password, String clientAddress) {
    String normalized = NewAccount.normalizeEmail(email);
    return passwords.reserve().compose(ticket -> attempts.begin(normalized, clientAddress)
            .compose(counted -> authenticate(ticket, normalized, password)
                .compose(account -> attempts.giveBack(normalized, clientAddress).map(account))
                .onFailure(e -> {
                  // only a wrong password uses up an attempt; overload or an outage is not the caller's failure
                  if (!(e instanceof ProblemException problem && problem.status() == 401)) {
                    attempts.giveBack(normalized, clientAddress);
                  }
                }))
            .onComplete(done -> ticket.release()))
        .compose(account -> startFamily(account.userId(), account.roles()));
  }

  private Future<Credentials> authenticate(WorkPool.Ticket ticket, String email, String password) {
    return users.credentials(email).compose(credentials ->
        passwords.verify(ticket, password, credentials.map(Credentials::passwordHash)).compose(verdict -> {
          if (!verdict.matches()) {
            return Future.failedFuture(ProblemException.unauthorized(BAD_CREDENTIALS));
          }
          Credentials account = credentials.orElseThrow();
          if (verdict.needsRehash()) {
            rehash(account, password);
          }
          return Future.succeededFuture(account);
        }));
  }

  /**
   * Rotates {@code refreshToken}; a token presented twice revokes its family and fails with 401. The
   * user is read and the access token signed before the rotation, which comes last: a failure on the way
   * (the database, the signing pool) leaves the presented token current, so the client's retry works
   * instead of being taken for a reuse that signs the user out everywhere.
   */
  public Future<TokenPair> refresh(String refreshToken) {
    return refreshTokens.peek(refreshToken).compose(current -> {
      if (current.isEmpty()) {
        // retired, revoked or unknown: the rotation says which (and revokes the family of a reused one)
        return rotate(refreshToken, null);
      }
      RefreshTokenStore.Current owner = current.get();
      return users.byId(owner.userId()).compose(user -> {
        if (user.isEmpty()) {
          return refreshTokens.revokeFamily(owner.familyId())
              .compose(v -> Future.failedFuture(ProblemException.unauthorized(BAD_REFRESH)));
        }
        return accessTokens.issue(owner.userId(), user.get().roles()).compose(access -> rotate(refreshToken, access));
      });
    });
  }

  /** The rotation itself, with the access token already signed for the token's owner (null: it was not current). */
  private Future<TokenPair> rotate(String refreshToken, String access) {
    return refreshTokens.rotate(refreshToken).compose(rotation -> {
      if (rotation instanceof Rotated rotated && access != null) {
        return Future.succeededFuture(new TokenPair(access, accessTokens.ttlSeconds(), rotated.nextToken()));
      }
      if (rotation instanceof Reused reused) {
        LOG.warn("a retired refresh token of user {} was presented again: token family {} revoked",
            reused.userId(), reused.familyId());
        return Future.failedFuture(ProblemException.unauthorized(
            "the refresh token was already used; every session of this login has been signed out"));
      }
      return Future.failedFuture(ProblemException.unauthorized(BAD_REFRESH));
    });
  }

  /** Revokes the family of {@code refreshToken}; an unknown or expired token is already logged out. */
  public Future<Void> logout(Identity caller, String refreshToken) {
    UUID userId;
    try {
      userId = UUID.fromString(caller.userId());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ProblemException.forbidden("the refresh token belongs to another account"));
    }
    return refreshTokens.revokeFamily(refreshToken, userId).compose(outcome -> switch (outcome) {
      case FOREIGN -> Future.failedFuture(ProblemException.forbidden("the refresh token belongs to another account"));
      case REVOKED, UNKNOWN -> Future.succeededFuture();
    });
  }

  private Future<TokenPair> startFamily(UUID userId, List<String> roles) {
    return refreshTokens.startFamily(userId)
        .compose(refresh -> accessTokens.issue(userId, roles)
            .map(access -> new TokenPair(access, accessTokens.ttlSeconds(), refresh)));
  }

  /** Upgrades a hash made with weaker parameters; best effort, the login does not wait for it. */
  private void rehash(Credentials account, String password) {
    passwords.hash(password)
        .compose(stronger -> users.replaceHash(account.userId(), account.passwordHash(), stronger))
        .onSuccess(v -> LOG.info("password hash of user {} upgraded to the current parameters", account.userId()))
        .onFailure(e -> LOG.warn("password hash of user {} not upgraded: {}", account.userId(), e.getMessage()));
  }
}
