package dev.skiff.orchestrator.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpecs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class SpecTextsTest {

    @Test
    void shouldReadATextOfExactlyTheBoundWhole() throws IOException {
        // Given / When
        String text = "é".repeat(JobSpecs.MAX_TEXT_BYTES / 2); // two UTF-8 bytes each: exactly the bound

        // Then
        assertThat(SpecTexts.readBounded(new ByteArrayInputStream(text.getBytes("UTF-8")))).contains(text);
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
        assertThat(SpecTexts.readBounded(endless)).isEmpty();
        assertThat(endless.read).isEqualTo(JobSpecs.MAX_TEXT_BYTES + 1L);
    }
}
