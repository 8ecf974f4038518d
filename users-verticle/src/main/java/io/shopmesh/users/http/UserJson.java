package io.shopmesh.users.http;

import io.shopmesh.platform.paging.PageCursor;
import io.shopmesh.users.domain.User;
import io.shopmesh.users.domain.UserPage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** How accounts look on the wire. There is no field for a password or its hash. */
final class UserJson {

  private UserJson() {
  }

  static JsonObject of(User user) {
    return new JsonObject()
        .put("id", user.id().toString())
        .put("email", user.email())
        .put("name", user.name())
        .put("roles", new JsonArray(user.roles()))
        .put("createdAt", user.createdAt().toString());
  }

  static JsonObject of(UserPage page) {
    JsonArray items = new JsonArray();
    page.users().forEach(user -> items.add(of(user)));
    return new JsonObject().put("items", items).put("nextCursor", page.next().map(PageCursor::encode).orElse(null));
  }
}
