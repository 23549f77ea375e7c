package io.leadcycle.users;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A person who uses Leadcycle: their roles decide what they may do (docs/api.md, "People and roles").
 *
 * @param firstStart the user of the first start's token, which always stays an admin's
 * @param source {@code local} (made with {@code POST /v1/users}) or {@code cognito} (seen in a verified token)
 */
public record User(UUID id, String name, String email, List<String> roles, boolean firstStart, String source,
    Instant createdAt, Instant disabledAt) {

  /** A user as made, with their token: the one time it is shown. */
  public record Created(User user, String token) {

    /** Never shows the token: this object may end up in a log line. */
    @Override
    public String toString() {
      return "Created[user=" + user + "]";
    }
  }
}
