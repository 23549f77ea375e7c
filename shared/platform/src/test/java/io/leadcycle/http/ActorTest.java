package io.leadcycle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadcycle.domain.InvalidInput;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who acted, for timelines: the signed-in user's name; the body's {@code actor} only for a token that names nobody. */
class ActorTest {

  private static HttpRequest signedIn(Caller caller) {
    return new HttpRequest("POST", "/v1/leads", Map.of(), Map.of(), Map.of(), new byte[0], "req-1", caller);
  }

  private static Map<String, Object> body(Object actor) {
    Map<String, Object> body = new HashMap<>();
    body.put("actor", actor);
    return body;
  }

  @Test
  void theSignedInUsersNameWinsOverTheBodys() {
    HttpRequest request = signedIn(new Caller("u-1", "Tom Caller", null, Set.of(Role.TELEMARKETING), false));
    assertThat(request.actor(body("mallory"))).isEqualTo("Tom Caller");
    assertThat(request.actor(Map.of())).isEqualTo("Tom Caller");
  }

  @Test
  void aTokenThatNamesNobodyMayNameTheActorElseItIsApi() {
    HttpRequest request = signedIn(new Caller("3f1c9a52-8b6e-4d1f-9c3a-7e2b5d4a6f10", null, null, Set.of(Role.ADMIN), true));
    assertThat(request.actor(body(" tina "))).isEqualTo("tina");
    assertThat(request.actor(Map.of())).isEqualTo("api");
  }

  @Test
  void aBadActorIsRefusedWhoeverSendsIt() {
    HttpRequest named = signedIn(new Caller("u-1", "Tom", null, Set.of(Role.SALES), false));
    assertThatThrownBy(() -> named.actor(body(" "))).isInstanceOf(InvalidInput.class);
    assertThatThrownBy(() -> signedIn(Caller.NOBODY).actor(body(null))).isInstanceOf(InvalidInput.class);
  }
}
