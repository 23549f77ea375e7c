package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What an admin may send to erase a person, and what a tombstone makes of what arrives afterwards. */
class ErasureRequestTest {

  private static List<String> fieldsOf(Map<String, Object> body) {
    try {
      ErasureRequest.parse(body);
    } catch (InvalidInput invalid) {
      return invalid.errors().stream().map(FieldError::field).toList();
    }
    throw new AssertionError("accepted: " + body);
  }

  @Test
  void aContactOrAnEmailAndAReason() {
    UUID id = UUID.randomUUID();
    assertThat(ErasureRequest.parse(Map.of("contactId", id.toString(), "reason", "ticket 4711")))
        .isEqualTo(new ErasureRequest(id, null, "ticket 4711"));
    assertThat(ErasureRequest.parse(Map.of("email", " Ada@Example.COM ", "reason", "ticket 4711")).email())
        .isEqualTo("ada@example.com");
  }

  @Test
  void eachFaultIsNamed() {
    assertThat(fieldsOf(Map.of("reason", "x"))).containsExactly("contactId");
    assertThat(fieldsOf(Map.of("contactId", UUID.randomUUID().toString(), "email", "a@b.org", "reason", "x")))
        .containsExactly("email");
    assertThat(fieldsOf(Map.of("contactId", "42", "reason", "x"))).containsExactly("contactId");
    assertThat(fieldsOf(Map.of("email", "not an address", "reason", "x"))).containsExactly("email");
    assertThat(fieldsOf(Map.of("contactId", UUID.randomUUID().toString()))).containsExactly("reason");
    assertThat(fieldsOf(Map.of("contactId", UUID.randomUUID().toString(), "reason", " "))).containsExactly("reason");
    assertThat(fieldsOf(Map.of("contactId", UUID.randomUUID().toString(), "reason", "x".repeat(501))))
        .containsExactly("reason");
    assertThat(fieldsOf(Map.of("contactId", UUID.randomUUID().toString(), "reason", "x", "force", true)))
        .containsExactly("force");
  }

  @Test
  void aReasonMayNotNameThePerson() {
    List<String> ada = List.of("ada@example.com", "+44 20 7946 0958", "Ada", "Lovelace");
    assertThat(ErasureRequest.namesThePerson("asked by ADA@example.com", ada)).isTrue();
    assertThat(ErasureRequest.namesThePerson("Lovelace called", ada)).isTrue();
    assertThat(ErasureRequest.namesThePerson("call back on 020 7946 0958", ada)).isFalse(); // not the whole number
    assertThat(ErasureRequest.namesThePerson("call back on +44 (20) 7946-0958", ada)).isTrue();
    // Whole words only: a name inside another word is no mention.
    assertThat(ErasureRequest.namesThePerson("Art. 17 request, see the Canadian office's ticket", ada)).isFalse();
    assertThat(ErasureRequest.namesThePerson("Art. 17 request by email, ticket 4711", ada)).isFalse();
  }

  @Test
  void aReplayIsRefusedAlwaysThePersonAgainOnlyWithoutAFreshConsent() {
    UUID erasure = UUID.randomUUID();
    assertThat(Tombstones.refusal(null, null, null)).isNull();
    assertThat(Tombstones.refusal(erasure, null, Map.of("newsletter", true)).getMessage()).contains("seen before");
    assertThat(Tombstones.refusal(null, erasure, null).erasureId()).isEqualTo(erasure);
    assertThat(Tombstones.refusal(null, erasure, Map.of("newsletter", false))).isNotNull();
    assertThat(Tombstones.refusal(null, erasure, Map.of("newsletter", "withdrawn"))).isNotNull();
    assertThat(Tombstones.refusal(null, erasure, Map.of("newsletter", true))).isNull();
    assertThat(Tombstones.refusal(null, erasure, Map.of("newsletter", "yes"))).isNull();
    assertThat(Tombstones.refusal(null, erasure, Map.of("newsletter", Map.of("granted", true)))).isNull();
    assertThat(Tombstones.refusal(null, erasure, Map.of("newsletter", Map.of("granted", false)))).isNotNull();
    for (Object notAGrant : new Object[] {"off", "n", "none", "null", "unsubscribed", 0, 2, ""}) {
      assertThat(Tombstones.refusal(null, erasure, Map.of("newsletter", notAGrant))).as("%s", notAGrant).isNotNull();
    }
    assertThat(Tombstones.refusal(null, erasure, Map.of("newsletter", " Opt-In "))).isNull();
    assertThat(Tombstones.importRowRefusal(erasure)).contains("erased").contains(erasure.toString());
  }
}
