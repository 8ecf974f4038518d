package io.shopmesh.users.domain;

import io.shopmesh.platform.paging.PageCursor;
import java.util.List;
import java.util.Optional;

/** One page of the account list and, when more follow, where the next page starts. */
public record UserPage(List<User> users, Optional<PageCursor> next) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  public UserPage {
    users = List.copyOf(users);
  }
}
