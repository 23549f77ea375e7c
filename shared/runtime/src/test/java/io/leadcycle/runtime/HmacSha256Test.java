package io.leadcycle.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HmacSha256Test {

  @Test
  void rfc4231TestCaseTwo() {
    byte[] mac = HmacSha256.of("Jefe".getBytes(StandardCharsets.UTF_8), "what do ya want for nothing?");
    assertThat(HexFormat.of().formatHex(mac))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Property(tries = 200)
  void partsAreSignedAsOneMessage(@ForAll @Size(min = 1, max = 64) byte[] key, @ForAll byte[] first,
      @ForAll byte[] second) {
    byte[] whole = new byte[first.length + second.length];
    System.arraycopy(first, 0, whole, 0, first.length);
    System.arraycopy(second, 0, whole, first.length, second.length);
    assertThat(HmacSha256.of(key, first, second)).isEqualTo(HmacSha256.of(key, whole));
  }

  @Test
  void onlyTheSameSignatureMatches() {
    byte[] expected = HmacSha256.of(new byte[] {1, 2, 3}, "body");
    byte[] flipped = expected.clone();
    flipped[31] ^= 1;
    assertThat(HmacSha256.matches(expected, expected.clone())).isTrue();
    assertThat(HmacSha256.matches(expected, flipped)).isFalse();
    assertThat(HmacSha256.matches(expected, Arrays.copyOf(expected, 16))).as("a prefix").isFalse();
    assertThat(HmacSha256.matches(expected, new byte[0])).isFalse();
    assertThat(HmacSha256.matches(expected, null)).isFalse();
    assertThat(HmacSha256.matches(null, null)).isFalse();
  }
}
