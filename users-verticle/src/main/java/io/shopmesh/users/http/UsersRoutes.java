package io.shopmesh.users.http;

import io.shopmesh.platform.auth.BearerAuth;
import io.shopmesh.platform.auth.Identity;
import io.shopmesh.platform.auth.TokenVerifier;
import io.shopmesh.platform.http.ServiceRouter;
import io.shopmesh.users.accounts.Accounts;
import io.shopmesh.users.accounts.Sessions;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The users API. Protected routes verify the bearer token themselves with this service's own
 * public keys (zero trust: a request that bypassed the gateway gets nothing, and no identity
 * header is ever read).
 */
public final class UsersRoutes {

  private final AuthHandlers auth;
  private final UserHandlers users;
  private final Handler<RoutingContext> authenticated;

  public UsersRoutes(Accounts accounts, Sessions sessions, TokenVerifier verifier, JsonObject jwks,
                     List<String> trustedProxies) {
    this.auth = new AuthHandlers(accounts, sessions, jwks, new ClientAddress(trustedProxies));
    this.users = new UserHandlers(accounts);
    this.authenticated = BearerAuth.required(verifier);
  }

  public Router build(ServiceRouter router) {
    return router.routes(r -> {
      r.get("/.well-known/jwks.json").respond(auth::jwks);
      r.post("/api/auth/register").respond(auth::register);
      r.post("/api/auth/login").respond(auth::login);
      r.post("/api/auth/refresh").respond(auth::refresh);
      r.post("/api/auth/logout").handler(authenticated).respond(auth::logout);
      r.get("/api/users/me").handler(authenticated).respond(users::me);
      r.patch("/api/users/me").handler(authenticated).respond(users::rename);
      r.get("/api/users").handler(authenticated).handler(BearerAuth.role(Identity.ADMIN)).respond(users::list);
      r.get("/api/users/:id").handler(authenticated).respond(users::byId);
    }).build();
  }
}
