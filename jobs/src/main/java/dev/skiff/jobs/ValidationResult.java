package dev.skiff.jobs;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link JobSpecs#check}: every violation found, and the spec when there are none.
 *
 * @param spec        present exactly when violations is empty
 * @param violations  every problem in the document, in the order found
 */
public record ValidationResult(Optional<JobSpec> spec, List<Violation> violations) {

    public ValidationResult {
        violations = List.copyOf(violations);
        if (spec.isPresent() == !violations.isEmpty()) {
            throw new IllegalArgumentException("a result holds a spec exactly when it has no violations");
        }
    }

    static ValidationResult valid(JobSpec spec) {
        return new ValidationResult(Optional.of(spec), List.of());
    }

    public static ValidationResult invalid(List<Violation> violations) {
        return new ValidationResult(Optional.empty(), violations);
    }

    public boolean valid() {
        return violations.isEmpty();
    }
}
