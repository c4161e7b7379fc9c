package dev.skiff.jobs;

import java.util.List;
import java.util.stream.Collectors;

/** A job spec that breaks one or more rules; the message lists every violation, one per line. */
public class InvalidJobSpecException extends RuntimeException {

    private final transient List<Violation> violations;

    public InvalidJobSpecException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
