package dev.skiff.orchestrator.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedTextTest {

    private static final int BOUND = 1024;

    @Test
    void shouldReadATextOfExactlyTheBoundWhole() throws IOException {
        // Given / When
        String text = "é".repeat(BOUND / 2); // two UTF-8 bytes each: exactly the bound

        // Then
        assertThat(BoundedText.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), BOUND))
                .contains(text);
    }

    @Test
    void shouldStopOneBytePastTheBoundOfAnEndlessStream() throws IOException {
        // Given a stream that never ends, counting what is read of it
        var endless = new InputStream() {
            long read;

            @Override
            public int read() {
                read++;
                return 'x';
            }
        };

        // When / Then
        assertThat(BoundedText.read(endless, BOUND)).isEmpty();
        assertThat(endless.read).isEqualTo(BOUND + 1L);
    }
}
