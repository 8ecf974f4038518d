package io.shopmesh.users.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An account as the API shows it: never its password hash. */
public record User(UUID id, String email, String name, List<String> roles, Instant createdAt, Instant updatedAt) {

  public static final String CUSTOMER = "customer";
  public static final String ADMIN = "admin";

  public User {
    roles = List.copyOf(roles);
  }
}
