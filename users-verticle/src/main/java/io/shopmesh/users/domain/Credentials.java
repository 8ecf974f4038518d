package io.shopmesh.users.domain;

import java.util.List;
import java.util.UUID;

/** What a login checks a password against. Its string form leaves the hash out, so it cannot end up in a log. */
public record Credentials(UUID userId, List<String> roles, String passwordHash) {

  public Credentials {
    roles = List.copyOf(roles);
  }

  @Override
  public String toString() {
    return "Credentials[userId=" + userId + ", roles=" + roles + "]";
  }
}
