package io.leadcycle.http;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Who sent a management request, from the claims the JWT authorizer verified (in AWS) or the local server
 * put in the event for the user its token belongs to: the same {@code requestContext.authorizer.jwt.claims}.
 *
 * @param id the token's subject ({@code sub}): the Cognito user's id, or the local user's
 * @param name who they are in words, for timelines: {@code name}, else {@code email}, else the user name;
 *     never the subject (a UUID tells a reader nothing); null when the token names nobody
 * @param email the {@code email} claim, or null
 * @param roles from the {@code cognito:groups} claim; groups that are no role are left out
 * @param external whether an identity provider (not the local server) vouched for the caller: then users
 *     are managed there, not with {@code /v1/users}
 */
public record Caller(String id, String name, String email, Set<Role> roles, boolean external) {

  /** The issuer the local server writes into the claims of its own users. */
  public static final String LOCAL_ISSUER = "urn:leadcycle:local";

  /** The claim that carries the roles: Cognito's groups. */
  public static final String GROUPS_CLAIM = "cognito:groups";

  /** A request without verified claims: a webhook, or a management route reached without an authorizer. */
  public static final Caller NOBODY = new Caller(null, null, null, Set.of(), false);

  public Caller {
    roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
  }

  /** The caller of these claims; {@link #NOBODY} for none. */
  public static Caller fromClaims(Map<String, String> claims) {
    if (claims == null || claims.isEmpty()) {
      return NOBODY;
    }
    String subject = blankToNull(claims.get("sub"));
    String name = null;
    // An ID token has name and email; an access token only the user name, which with email sign-in is the
    // subject again, so a candidate equal to the subject is passed over.
    for (String claim : new String[] {"name", "email", "cognito:username", "username"}) {
      String value = blankToNull(claims.get(claim));
      if (value != null && !value.equals(subject)) {
        name = value;
        break;
      }
    }
    return new Caller(subject, name, blankToNull(claims.get("email")), roles(claims.get(GROUPS_CLAIM)),
        !LOCAL_ISSUER.equals(claims.get("iss")));
  }

  /**
   * The roles of a groups claim. API Gateway's HTTP API passes a list claim as text: {@code [admin sales]};
   * a JSON array ({@code ["admin","sales"]}) and a comma-separated list are read too.
   */
  static Set<Role> roles(String groups) {
    if (groups == null || groups.isBlank()) {
      return Set.of();
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    String inner = groups.strip();
    if (inner.startsWith("[") && inner.endsWith("]")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    for (String group : inner.split("[,\\s]+")) {
      Role.fromWireName(group.replace("\"", "").strip()).ifPresent(roles::add);
    }
    return roles;
  }

  /** Whether the caller holds one of {@code roles} (as they are granted: see {@link Role#grantedTo}). */
  public boolean holdsAny(Set<Role> granted) {
    for (Role role : roles) {
      if (granted.contains(role)) {
        return true;
      }
    }
    return false;
  }

  public boolean isAdmin() {
    return roles.contains(Role.ADMIN);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
