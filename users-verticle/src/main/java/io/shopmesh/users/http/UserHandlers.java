package io.shopmesh.users.http;

import io.shopmesh.platform.auth.BearerAuth;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.errors.ProblemException.FieldError;
import io.shopmesh.platform.http.StrictJson;
import io.shopmesh.users.accounts.Accounts;
import io.shopmesh.platform.paging.PageCursor;
import io.shopmesh.users.domain.UserPage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Optional;

/** {@code /api/users/*}: every route here runs after the bearer token was verified. */
final class UserHandlers {

  private final Accounts accounts;

  UserHandlers(Accounts accounts) {
    this.accounts = accounts;
  }

  Future<JsonObject> me(RoutingContext ctx) {
    return accounts.me(BearerAuth.identity(ctx)).map(UserJson::of);
  }

  Future<JsonObject> rename(RoutingContext ctx) {
    Requests.ProfileUpdate body = StrictJson.body(ctx, Requests.ProfileUpdate.class);
    return accounts.rename(BearerAuth.identity(ctx), body.name()).map(UserJson::of);
  }

  Future<JsonObject> byId(RoutingContext ctx) {
    return accounts.user(BearerAuth.identity(ctx), ctx.pathParam("id")).map(UserJson::of);
  }

  /** {@code ?limit=1..100} (20), {@code ?cursor=} the {@code nextCursor} of the previous page. */
  Future<JsonObject> list(RoutingContext ctx) {
    return accounts.page(cursor(ctx), limit(ctx)).map(UserJson::of);
  }

  private static int limit(RoutingContext ctx) {
    List<String> values = ctx.queryParam("limit");
    if (values.isEmpty()) {
      return UserPage.DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(values.get(0));
      if (values.size() == 1 && limit >= 1 && limit <= UserPage.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.invalidFields(List.of(new FieldError("limit",
        "must be one integer between 1 and " + UserPage.MAX_LIMIT)));
  }

  private static Optional<PageCursor> cursor(RoutingContext ctx) {
    List<String> values = ctx.queryParam("cursor");
    if (values.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (values.size() == 1) {
        return Optional.of(PageCursor.decode(values.get(0)));
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw ProblemException.invalidFields(List.of(new FieldError("cursor",
        "must be the nextCursor of a previous page")));
  }
}
