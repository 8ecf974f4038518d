package io.shopmesh.platform.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who is calling, as proven by a verified access token. Never built from request headers.
 *
 * @param userId    the token's {@code sub}
 * @param tokenId   the token's {@code jti}
 * @param expiresAt the token's {@code exp}
 */
public record Identity(String userId, Set<String> roles, String tokenId, Instant expiresAt) {

  public static final String ADMIN = "admin";
  public static final String CUSTOMER = "customer";

  public Identity {
    roles = Set.copyOf(roles);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return roles.contains(ADMIN);
  }
}
