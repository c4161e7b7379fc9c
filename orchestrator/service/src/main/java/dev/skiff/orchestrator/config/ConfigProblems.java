package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.domain.SkiffException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the checks a part makes of its keys when it is built, and keeps what each refuses, so a start names every wrong
 * key at once instead of one per attempt.
 */
final class ConfigProblems {

    private final Set<String> found = new LinkedHashSet<>();

    /** Runs the check; a refusal ({@link SkiffException}) is kept, anything else is a bug and goes through. */
    ConfigProblems check(Runnable check) {
        try {
            check.run();
        } catch (SkiffException e) {
            found.add(e.getMessage());
        }
        return this;
    }

    List<String> list() {
        return new ArrayList<>(found);
    }
}
