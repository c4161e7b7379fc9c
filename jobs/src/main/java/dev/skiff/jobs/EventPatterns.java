package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.event.ruler.RuleCompiler;

/** Event patterns as event-ruler sees them: canonical JSON text, compiled to check them. */
final class EventPatterns {

    // Sorted keys make equal patterns equal text, whatever order the author wrote them in.
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

    private EventPatterns() {
    }

    static String canonical(JsonNode pattern) {
        try {
            return CANONICAL.writeValueAsString(pattern);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a parsed tree always serializes", e);
        }
    }

    /** event-ruler's reason the pattern does not compile, or empty when it does. */
    static Optional<String> problem(String patternJson) {
        // event-ruler appends the parser's location in our own canonical text, which means nothing to the author.
        return Optional.ofNullable(RuleCompiler.check(patternJson)).map(problem -> problem.lines().findFirst().orElse(problem).strip());
    }
}
