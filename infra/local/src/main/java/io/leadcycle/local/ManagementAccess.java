package io.leadcycle.local;

import io.leadcycle.http.Problem;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Who may call management routes: a request with {@code Authorization: Bearer <token>} of the local
 * server's token ({@link ApiToken}), as the JWT authorizer demands in AWS.
 */
final class ManagementAccess {

  private final String token;
  private final boolean tokenFromEnvironment;
  private final Path tokenFile;

  ManagementAccess(String apiToken, Map<String, String> env, Path dataDirectory) {
    this.token = apiToken;
    String tokenVariable = env.get(ApiToken.ENVIRONMENT_VARIABLE);
    this.tokenFromEnvironment = tokenVariable != null && !tokenVariable.isBlank();
    this.tokenFile = dataDirectory.resolve(ApiToken.FILE_NAME);
  }

  /** {@code Authorization: Bearer <token>}, the scheme in any case (RFC 7235), one or more spaces after it. */
  boolean authorized(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    if (header == null) {
      return false;
    }
    String[] credentials = header.strip().split(" +", 2);
    return credentials.length == 2 && credentials[0].equalsIgnoreCase("Bearer")
        && MessageDigest.isEqual(credentials[1].getBytes(StandardCharsets.UTF_8),
            token.getBytes(StandardCharsets.UTF_8));
  }

  /** The 401 of a request without the token: where to find it, or that it is the one the user set. */
  Problem unauthorized() {
    return Problem.unauthorized(tokenFromEnvironment
        ? "Send Authorization: Bearer <token>, with the token set in " + ApiToken.ENVIRONMENT_VARIABLE + "."
        : "Send Authorization: Bearer <token>. The local server prints its token when it starts (it is kept in "
            + tokenFile + "), or set your own with " + ApiToken.ENVIRONMENT_VARIABLE + ".");
  }
}
