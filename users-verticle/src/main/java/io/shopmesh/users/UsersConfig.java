package io.shopmesh.users;

import io.shopmesh.platform.config.AuthConfig;
import io.shopmesh.platform.config.ConfigException;
import io.shopmesh.platform.config.HttpConfig;
import io.shopmesh.platform.config.KafkaConfig;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.config.RedisConfig;
import io.shopmesh.platform.config.Settings;
import io.shopmesh.platform.work.WorkPoolConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the users service reads from its configuration (besides the shared {@code http},
 * {@code db}, {@code redis}, {@code kafka} keys):
 *
 * <ul>
 *   <li>{@code jwt.keysDir} (required): a directory of PEM files. {@code <kid>.pem} is a PKCS#8
 *       private key that can sign; {@code <kid>.pub.pem} is a public key that is only published,
 *       never signs: that is how a retired key keeps verifying the tokens it signed until they
 *       expire. The algorithm follows the key type: RSA (2048 bits or more) signs RS256, EC P-256
 *       signs ES256. Every key is published at {@code /.well-known/jwks.json}.</li>
 *   <li>{@code jwt.activeKid}: the private key that signs (the newest); required when the
 *       directory holds more than one private key.</li>
 *   <li>{@code jwt.accessTokenTtl} (15m): lifetime of an access token. A token stays valid until
 *       it expires, even after logout: keep it short.</li>
 *   <li>{@code jwt.refreshTokenTtl} (30d): a refresh token, and its login's family, expire this
 *       long after their last use.</li>
 *   <li>{@code auth.issuer} (shopmesh-users) and {@code auth.audience} (shopmesh): the {@code iss}
 *       and {@code aud} written into tokens and checked on this service's own routes
 *       ({@link AuthConfig}).</li>
 *   <li>{@code admin.email}: the first admin account, created at start when missing (an existing
 *       account is never changed). {@code admin.password}: its password, needed only to create it;
 *       pass it as env {@code SHOPMESH_ADMIN_PASSWORD}, never in a file.</li>
 *   <li>{@code passwords.workers} (cores), {@code passwords.maxQueued} (64),
 *       {@code passwords.timeout} (30s), {@code passwords.retryAfter} (1s): the bulkhead hashing
 *       and verifying passwords ({@link WorkPoolConfig}); beyond {@code maxQueued} jobs,
 *       register and login answer 503 at once.</li>
 *   <li>{@code login.maxAttempts} (10) per {@code login.window} (15m): failed logins allowed per
 *       account and per client IP before 429.</li>
 *   <li>{@code login.trustedProxies} (none): addresses or CIDR ranges of proxies (the gateway)
 *       whose {@code X-Forwarded-For} names the client; from anyone else the header is ignored.
 *       Set it behind the gateway, or every failed login counts against the gateway's address.</li>
 * </ul>
 */
public record UsersConfig(HttpConfig http, PgConfig db, RedisConfig redis, KafkaConfig kafka, AuthConfig auth,
                          Jwt jwt, Admin admin, WorkPoolConfig passwords, Login login) {

  public static UsersConfig from(Settings s) {
    return new UsersConfig(HttpConfig.from(s, 8081), PgConfig.from(s), RedisConfig.from(s), KafkaConfig.from(s),
        AuthConfig.from(s), Jwt.from(s), Admin.from(s), WorkPoolConfig.from(s, "passwords", 64), Login.from(s));
  }

  /** Signing keys and token lifetimes. */
  public record Jwt(Path keysDir, Optional<String> activeKid, Duration accessTokenTtl, Duration refreshTokenTtl) {

    static Jwt from(Settings s) {
      Jwt jwt = new Jwt(Path.of(s.string("jwt.keysDir")), s.optionalString("jwt.activeKid"),
          s.duration("jwt.accessTokenTtl", Duration.ofMinutes(15)), s.duration("jwt.refreshTokenTtl", Duration.ofDays(30)));
      if (jwt.accessTokenTtl.compareTo(Duration.ofSeconds(10)) < 0 || jwt.accessTokenTtl.compareTo(Duration.ofDays(1)) > 0) {
        throw new ConfigException("config key 'jwt.accessTokenTtl': expected between 10s and 24h, got "
            + jwt.accessTokenTtl);
      }
      if (jwt.refreshTokenTtl.compareTo(jwt.accessTokenTtl) <= 0) {
        throw new ConfigException("config key 'jwt.refreshTokenTtl': expected longer than jwt.accessTokenTtl, got "
            + jwt.refreshTokenTtl);
      }
      return jwt;
    }
  }

  /** The bootstrap admin account; its string form leaves the password out. */
  public record Admin(Optional<String> email, Optional<String> password) {

    static Admin from(Settings s) {
      return new Admin(s.optionalString("admin.email"), s.optionalString("admin.password"));
    }

    @Override
    public String toString() {
      return "Admin[email=" + email.orElse("-") + "]";
    }
  }

  /** Limits on failed logins. */
  public record Login(int maxAttempts, Duration window, List<String> trustedProxies) {

    static Login from(Settings s) {
      Login login = new Login(s.integer("login.maxAttempts", 10, 1, 1_000_000),
          s.duration("login.window", Duration.ofMinutes(15)),
          s.list("login.trustedProxies", List.of()));
      if (login.window.toMillis() < 1000) {
        throw new ConfigException("config key 'login.window': expected at least 1s, got " + login.window);
      }
      return login;
    }
  }
}
