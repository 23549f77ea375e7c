package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leadcycle.scoring.ModelDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The one rule for text a request sends, and its one wording, wherever the text is read. */
class FieldsTest {

  private static String reason(Object value, int maxLength) {
    List<FieldError> errors = new ArrayList<>();
    assertThat(Fields.text("topic", value, maxLength, errors)).isNull();
    assertThat(errors).hasSize(1);
    return errors.get(0).message();
  }

  @Test
  void textIsStrippedBeforeItsLengthIsCounted() {
    List<FieldError> errors = new ArrayList<>();
    assertThat(Fields.text("topic", "  Pricing  ", 7, errors)).isEqualTo("Pricing");
    assertThat(errors).isEmpty();
    assertThat(reason(" Pricing!", 7)).isEqualTo("longer than 7 characters");
  }

  @Test
  void blankAndNonTextAreRefusedInOneWording() {
    assertThat(reason("   ", 200)).isEqualTo("must be a non-empty string of up to 200 characters");
    assertThat(reason(7, 200)).isEqualTo("must be a non-empty string of up to 200 characters");
    assertThat(reason(List.of("a"), 200)).isEqualTo("must be a non-empty string of up to 200 characters");
    List<FieldError> errors = new ArrayList<>();
    assertThat(Fields.requiredText(Map.of(), "topic", "lead.topic", 200, errors)).isNull();
    assertThat(errors).containsExactly(new FieldError("lead.topic", "required"));
  }

  @Property
  void acceptsExactlyWhatTheRuleSays(@ForAll @StringLength(max = 30) String value,
      @ForAll @IntRange(min = 1, max = 20) int maxLength) {
    List<FieldError> errors = new ArrayList<>();
    String read = Fields.text("f", value, maxLength, errors);
    // Storable: no NUL, and no surrogate that is not half of a pair (codePoints() yields those alone).
    boolean storable = value.codePoints().noneMatch(c -> c == 0 || (c >= 0xD800 && c <= 0xDFFF));
    boolean valid = !value.isBlank() && value.strip().length() <= maxLength && storable;
    assertThat(read).isEqualTo(valid ? value.strip() : null);
    assertThat(errors).hasSize(valid ? 0 : 1);
    assertThat(Fields.isText(value, maxLength)).isEqualTo(valid);
  }

  @Test
  void textThatCannotBeStoredIsRefusedByTheRuleInItsWords() {
    assertThat(reason("Ann\0", 200)).isEqualTo(Fields.NO_NUL);
    assertThat(reason("Ann\ud800", 200)).isEqualTo(Fields.NO_LONE_SURROGATE);
    assertThat(reason("\udc00Ann", 200)).isEqualTo(Fields.NO_LONE_SURROGATE);
    assertThat(reason("\ude00\ud83d", 200)).as("a pair the wrong way round").isEqualTo(Fields.NO_LONE_SURROGATE);
    assertThat(Fields.text("f", "Zoë \ud83d\ude00", 200, new ArrayList<>())).isEqualTo("Zoë 😀");
  }

  @Test
  void everyStringOfAValueIsCheckedUnderItsPath() {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("fine", List.of("a", 1, true));
    body.put("list", List.of("a", Map.of("deep", "x\0")));
    body.put("bad\ud800name", "ok");
    List<FieldError> errors = new ArrayList<>();

    assertThat(Fields.checkStrings("", body, errors)).isFalse();
    assertThat(errors).containsExactly(new FieldError("list[1].deep", Fields.NO_NUL),
        new FieldError("bad\\ud800name", "(the member's name) " + Fields.NO_LONE_SURROGATE));
    assertThat(Fields.checkStrings("items[3]", Map.of("ok", "ok"), errors)).isTrue();
    assertThat(Fields.checkStrings("", "\0", errors)).isFalse();
    assertThat(errors.get(2)).isEqualTo(new FieldError("body", Fields.NO_NUL));
  }

  @Test
  void aScoringModelAndAnAccountSayTheSameAboutTheSameName() {
    for (Object name : new Object[] {null, " ", 5, "x".repeat(201), " " + "x".repeat(200) + " "}) {
      Map<String, Object> account = new HashMap<>();
      account.put("name", name);
      Map<String, Object> model = new HashMap<>();
      model.put("name", name);
      String accountSays = nameError(catchThrowableOfType(InvalidInput.class, () -> AccountDetails.parse(account)));
      String modelSays = nameError(catchThrowableOfType(InvalidInput.class, () -> ModelDefinition.parse(model)));
      assertThat(modelSays).as("name %s", name).isEqualTo(accountSays);
    }
  }

  private static String nameError(InvalidInput e) {
    if (e == null) {
      return null;
    }
    return e.errors().stream().filter(f -> f.field().equals("name")).map(FieldError::message).findFirst()
        .orElse(null);
  }
}
