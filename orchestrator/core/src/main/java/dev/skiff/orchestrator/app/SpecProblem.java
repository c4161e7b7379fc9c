package dev.skiff.orchestrator.app;

import java.util.List;

/**
 * A spec source that does not load. When the job had a valid version before, that version keeps
 * running and {@code keptJob} names it.
 *
 * @param problems one validation report line each
 */
public record SpecProblem(String source, List<String> problems, java.util.Optional<String> keptJob) {

    public SpecProblem {
        problems = List.copyOf(problems);
    }
}
