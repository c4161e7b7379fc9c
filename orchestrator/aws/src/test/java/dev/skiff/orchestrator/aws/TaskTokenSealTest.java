package dev.skiff.orchestrator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTokenSealTest {

    private static final String OLD_KEY = "old-key-0123456789abcdef0123456789abcdef";
    private static final String NEW_KEY = "new-key-0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAdJ0b2tlbi1vZi10aGUtc3RlcA==";
    private static final TaskTokenSeal.Step STEP = new TaskTokenSeal.Step("etl-api-20261205T101500-1a2b", "main", 1);

    private final TaskTokenSeal seal = TaskTokenSeal.of(List.of(NEW_KEY), "skiff.sfn.token-keys");

    @Test
    void shouldOpenWhatItSealedForTheSameStepAndShowNothingOfTheToken() {
        // Given a sealed token
        String sealed = seal.seal(TOKEN, STEP);

        // When it is opened for its step
        // Then the token comes back, and the sealed text holds neither the token nor a piece of it
        assertThat(seal.open(sealed, STEP)).contains(TOKEN);
        assertThat(sealed).startsWith("skiff1." + seal.keyIds().get(0) + ".").doesNotContain(TOKEN.substring(0, 12));
        // And two seals of one token differ (a fresh nonce each), so equal tokens cannot be spotted
        assertThat(seal.seal(TOKEN, STEP)).isNotEqualTo(sealed);
    }

    @Test
    void shouldNotOpenATextThatWasChangedOrMadeForAnotherStep() {
        // Given a sealed token
        String sealed = seal.seal(TOKEN, STEP);
        byte[] body = Base64.getUrlDecoder().decode(sealed.substring(sealed.lastIndexOf('.') + 1));
        body[body.length / 2] ^= 1;
        String flipped = sealed.substring(0, sealed.lastIndexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(body);

        // When it is opened after a change, for another run, step or attempt, or as garbage
        // Then it does not open
        assertThat(seal.open(flipped, STEP)).isEmpty();
        assertThat(seal.open(sealed, new TaskTokenSeal.Step("etl-api-20261205T101500-ffff", "main", 1))).isEmpty();
        assertThat(seal.open(sealed, new TaskTokenSeal.Step(STEP.runId(), "load", 1))).isEmpty();
        assertThat(seal.open(sealed, new TaskTokenSeal.Step(STEP.runId(), "main", 2))).isEmpty();
        assertThat(seal.open(TOKEN, STEP)).isEmpty();
        assertThat(seal.open("skiff1." + seal.keyIds().get(0) + ".%%%", STEP)).isEmpty();
        assertThat(seal.open("skiff1." + seal.keyIds().get(0) + ".AAAA", STEP)).isEmpty();
    }

    @Test
    void shouldSealWithTheNewestKeyAndOpenWithEveryListedOneSoKeysRotate() {
        // Given a token sealed before the rotation, with the old key
        String beforeRotation = TaskTokenSeal.of(List.of(OLD_KEY), "k").seal(TOKEN, STEP);

        // When the new key is put first and the old one kept
        TaskTokenSeal rotated = TaskTokenSeal.of(List.of(NEW_KEY, OLD_KEY), "k");

        // Then the old text still opens, new texts are sealed with the new key, and once the old key is dropped
        // its texts no longer open
        assertThat(rotated.open(beforeRotation, STEP)).contains(TOKEN);
        assertThat(rotated.seal(TOKEN, STEP)).startsWith("skiff1." + seal.keyIds().get(0) + ".");
        assertThat(seal.open(beforeRotation, STEP)).isEmpty();
    }

    @Test
    void shouldRefuseNoKeyAShortKeyOrTheSameKeyTwiceWithoutShowingAKey() {
        assertThatThrownBy(() -> TaskTokenSeal.of(List.of(" "), "skiff.sfn.token-keys"))
                .hasMessageStartingWith("skiff.sfn.token-keys: required");
        assertThatThrownBy(() -> TaskTokenSeal.of(List.of(NEW_KEY, "too-short"), "skiff.sfn.token-keys"))
                .hasMessage("skiff.sfn.token-keys[1]: a key of 9 characters; each key must be at least 32 random characters");
        assertThatThrownBy(() -> TaskTokenSeal.of(List.of(NEW_KEY, NEW_KEY), "skiff.sfn.token-keys"))
                .hasMessage("skiff.sfn.token-keys[1]: the same key is listed twice");
    }
}
