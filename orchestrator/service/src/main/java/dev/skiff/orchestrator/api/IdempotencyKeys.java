package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.domain.MalformedRequestException;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Optional;

/** The {@code Idempotency-Key} header of {@code POST /jobs/{name}/runs} and {@code POST /events}. */
final class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /**
     * The key, or empty when the header is absent; a header sent empty is a mistake, not "no key". Read from all the
     * headers, since a header parameter turns an empty header into no header.
     */
    static Optional<String> of(HttpHeaders headers) {
        List<String> values = headers.getRequestHeader(HEADER);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new MalformedRequestException(HEADER + ": must be sent once (was sent " + values.size() + " times)");
        }
        String header = values.get(0) == null ? "" : values.get(0);
        if (header.isBlank()) {
            throw new MalformedRequestException(HEADER + ": must not be empty (leave the header out to start a new run each time)");
        }
        if (header.length() > MAX_LENGTH) {
            throw new MalformedRequestException(HEADER + ": must be at most " + MAX_LENGTH + " characters (has "
                    + header.length() + ")");
        }
        return Optional.of(header);
    }
}
