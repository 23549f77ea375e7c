package io.leadcycle.local;

import io.leadcycle.http.Caller;
import io.leadcycle.http.Problem;
import io.leadcycle.users.User;
import io.leadcycle.users.UserService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Map;

/**
 * Who calls management routes: a request with {@code Authorization: Bearer <token>} of a user who is not
 * disabled (the first start's token is the "admin" user's, {@link ApiToken}), as the JWT authorizer demands
 * a valid token in AWS. The user's claims then go into the event where the authorizer puts a token's:
 * {@code sub} (the user's id), {@code name}, {@code email}, {@code cognito:groups} (their roles), so that
 * functions decide roles and actors alike in both places.
 */
final class ManagementAccess {

  private final UserService users;
  private final boolean tokenFromEnvironment;
  private final Path tokenFile;

  ManagementAccess(UserService users, Map<String, String> env, Path dataDirectory) {
    this.users = users;
    String tokenVariable = env.get(ApiToken.ENVIRONMENT_VARIABLE);
    this.tokenFromEnvironment = tokenVariable != null && !tokenVariable.isBlank();
    this.tokenFile = dataDirectory.resolve(ApiToken.FILE_NAME);
  }

  /**
   * The user of the request's token ({@code Authorization: Bearer <token>}, the scheme in any case, RFC 7235,
   * one or more spaces after it); null when there is none, or it is nobody's (any more).
   */
  Future<User> authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    if (header == null) {
      return Future.succeededFuture();
    }
    String[] credentials = header.strip().split(" +", 2);
    if (credentials.length != 2 || !credentials[0].equalsIgnoreCase("Bearer") || credentials[1].isBlank()) {
      return Future.succeededFuture();
    }
    return users.byToken(credentials[1]);
  }

  /** The claims the JWT authorizer would pass on for {@code user}'s token. */
  static JsonObject claims(User user) {
    JsonObject claims = new JsonObject()
        .put("sub", user.id().toString())
        .put("iss", Caller.LOCAL_ISSUER)
        .put("name", user.name())
        .put(Caller.GROUPS_CLAIM, "[" + String.join(" ", user.roles()) + "]");
    if (user.email() != null) {
      claims.put("email", user.email());
    }
    return claims;
  }

  /** The 401 of a request without a user's token: where to find the first one, or that it is the one the user set. */
  Problem unauthorized() {
    return Problem.unauthorized(tokenFromEnvironment
        ? "Send Authorization: Bearer <token>: a user's token (POST /v1/users), or the one set in "
            + ApiToken.ENVIRONMENT_VARIABLE + "."
        : "Send Authorization: Bearer <token>: a user's token (POST /v1/users), or the first one, which the local "
            + "server prints when it starts (it is kept in " + tokenFile + "), or set your own with "
            + ApiToken.ENVIRONMENT_VARIABLE + ".");
  }
}
