package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The entry point for reading job specs: parse YAML or JSON, check every rule, build the model.
 * Structural rules come from the JSON Schema ({@code skiff/job-spec.schema.json}); semantic rules
 * (Fargate sizes, cron, event patterns, ARNs, cross-field rules) are checked in Java after it.
 */
public final class JobSpecs {

    /**
     * The most a spec's text may hold, in UTF-8 bytes: what {@code PUT /jobs} takes, and what a registry reads of one
     * file or object, so that a huge file in a spec directory or bucket is refused instead of read into the heap.
     */
    public static final int MAX_TEXT_BYTES = 256 * 1024;

    private JobSpecs() {
    }

    /** The outcome for a spec whose text is over {@link #MAX_TEXT_BYTES}: refused without being read whole. */
    public static ValidationResult tooLarge(String source) {
        return ValidationResult.invalid(List.of(new Violation(source, "", null,
                "is over " + MAX_TEXT_BYTES + " bytes (256 KiB), the most a job spec may hold; it was not read")));
    }

    /**
     * Checks a spec and reports every problem at once; never throws for bad input.
     *
     * @param source  where the text came from (a file path or request), named in every violation
     * @param text    YAML or JSON
     */
    public static ValidationResult check(String source, String text) {
        var violations = new Violations(source);
        var root = SpecReader.read(text, violations, source);
        if (root.isEmpty()) {
            return ValidationResult.invalid(violations.list());
        }
        var patterns = new CanonicalPatterns();
        StructuralCheck.check(root.get(), violations);
        SemanticCheck.check(root.get(), patterns, violations);
        if (!violations.isEmpty()) {
            return ValidationResult.invalid(violations.list());
        }
        return ValidationResult.valid(JobSpecMapper.map(root.get(), patterns));
    }

    /**
     * Like {@link #check}, for callers that want the spec or an exception.
     *
     * @throws InvalidJobSpecException listing every violation, one per line
     */
    public static JobSpec parse(String source, String text) {
        var result = check(source, text);
        return result.spec().orElseThrow(() -> new InvalidJobSpecException(result.violations()));
    }
}
