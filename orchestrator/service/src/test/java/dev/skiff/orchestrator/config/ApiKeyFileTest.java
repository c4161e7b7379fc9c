package dev.skiff.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.orchestrator.domain.SkiffException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyFileTest {

    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);

    @TempDir
    Path dir;

    @Test
    void shouldReadOneTeamPerHashWhenTheFileHasCommentsAndBlankLines() throws IOException {
        // Given
        Path file = Files.writeString(dir.resolve("keys"), "# team keys\n\n" + HASH_A + " analytics\n  " + HASH_B + "\tbilling\n");

        // When / Then
        assertThat(ApiKeyFile.read(file)).containsExactly(
                org.assertj.core.api.Assertions.entry(HASH_A, "analytics"),
                org.assertj.core.api.Assertions.entry(HASH_B, "billing"));
    }

    @Test
    void shouldNameTheLineButNotRepeatItWhenALineIsMalformed() throws IOException {
        // Given a line holding a bare key
        Path file = Files.writeString(dir.resolve("keys"), HASH_A + " analytics\nsecret-key-pasted-here\n");

        // When / Then
        assertThatThrownBy(() -> ApiKeyFile.read(file)).isInstanceOf(SkiffException.class)
                .hasMessageContaining("line 2").message().doesNotContain("secret-key-pasted-here");
    }

    @Test
    void shouldReadTheSameLinesFromTextWhenASecretComesThroughTheEnvironment() {
        // Given the lines as one value, as ECS injects a secret into SKIFF_AUTH_API_KEYS_TEXT
        String text = HASH_A + " analytics\n" + HASH_B + " billing\nnot-a-line-with-a-team-secret";

        // When / Then the bad line is named by its number and the key name of the setting, never echoed
        assertThatThrownBy(() -> ApiKeyFile.parse(text)).isInstanceOf(SkiffException.class)
                .hasMessage("skiff.auth.api-keys-text: line 3 must be '<sha256 hex of the key> <team>'");
        assertThat(ApiKeyFile.parse(HASH_A + " analytics\n")).containsExactly(org.assertj.core.api.Assertions.entry(HASH_A, "analytics"));
    }
}
