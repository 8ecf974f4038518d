package io.shopmesh.users.http;

import io.shopmesh.platform.auth.BearerAuth;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.errors.ProblemException.FieldError;
import io.shopmesh.platform.http.StrictJson;
import io.shopmesh.users.accounts.Accounts;
import io.shopmesh.users.accounts.Sessions;
import io.shopmesh.users.accounts.Sessions.TokenPair;
import io.shopmesh.users.domain.NewAccount;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/** {@code /api/auth/*} and the JWK set. */
final class AuthHandlers {

  private final Accounts accounts;
  private final Sessions sessions;
  private final JsonObject jwks;
  private final ClientAddress clientAddress;

  AuthHandlers(Accounts accounts, Sessions sessions, JsonObject jwks, ClientAddress clientAddress) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.jwks = jwks;
    this.clientAddress = clientAddress;
  }

  Future<JsonObject> register(RoutingContext ctx) {
    Requests.Register body = StrictJson.body(ctx, Requests.Register.class);
    NewAccount account = NewAccount.validate(body.email(), body.password(), body.name());
    return accounts.register(account).map(user -> {
      ctx.response().setStatusCode(201).putHeader("Location", "/api/users/" + user.id());
      return UserJson.of(user);
    });
  }

  Future<JsonObject> login(RoutingContext ctx) {
    Requests.Login body = StrictJson.body(ctx, Requests.Login.class);
    List<FieldError> missing = new ArrayList<>();
    if (body.email() == null || body.email().isEmpty()) {
      missing.add(new FieldError("email", "is required"));
    }
    if (body.password() == null || body.password().isEmpty()) {
      missing.add(new FieldError("password", "is required"));
    }
    if (!missing.isEmpty()) {
      throw ProblemException.invalidFields(missing);
    }
    return sessions.login(body.email(), body.password(), clientAddress.of(ctx)).map(pair -> tokens(ctx, pair));
  }

  Future<JsonObject> refresh(RoutingContext ctx) {
    return sessions.refresh(refreshToken(ctx)).map(pair -> tokens(ctx, pair));
  }

  Future<Void> logout(RoutingContext ctx) {
    return sessions.logout(BearerAuth.identity(ctx), refreshToken(ctx));
  }

  Future<JsonObject> jwks(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "public, max-age=300");
    return Future.succeededFuture(jwks);
  }

  private static String refreshToken(RoutingContext ctx) {
    Requests.Refresh body = StrictJson.body(ctx, Requests.Refresh.class);
    if (body.refreshToken() == null || body.refreshToken().isEmpty()) {
      throw ProblemException.invalidFields(List.of(new FieldError("refreshToken", "is required")));
    }
    return body.refreshToken();
  }

  private static JsonObject tokens(RoutingContext ctx, TokenPair pair) {
    ctx.response().putHeader("Cache-Control", "no-store");
    return new JsonObject()
        .put("accessToken", pair.accessToken())
        .put("tokenType", "Bearer")
        .put("expiresIn", pair.expiresIn())
        .put("refreshToken", pair.refreshToken());
  }
}
