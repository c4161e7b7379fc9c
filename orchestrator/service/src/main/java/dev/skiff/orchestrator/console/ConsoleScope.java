package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.api.CurrentCaller;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.domain.ForbiddenException;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * What the console shows a caller: with API keys a team sees its own jobs and their runs only (the JSON API lets
 * every team read every job; the console keeps each team's pages to its own work). Without keys, everything.
 */
@RequestScoped
public class ConsoleScope {

    private final CurrentCaller caller;
    private final JobCatalog catalog;

    public ConsoleScope(CurrentCaller caller, JobCatalog catalog) {
        this.caller = caller;
        this.catalog = catalog;
    }

    public boolean sees(String owner) {
        Optional<String> team = caller.get().team();
        return team.isEmpty() || team.get().equals(owner);
    }

    public Optional<String> team() {
        return caller.get().team();
    }

    /** Refuses a page about job {@code job} of team {@code owner} unless the caller sees that team's work. */
    public void requireSees(String job, String owner) {
        if (!sees(owner)) {
            throw new ForbiddenException("team " + team().orElseThrow() + " may not see job " + job
                    + " in the console: it belongs to team " + owner + ", and the console shows each team its own jobs");
        }
    }

    /** Refuses a page about a run of {@code job} unless the caller sees that job (a job no longer registered: no team). */
    public void requireSeesRunsOf(String job) {
        String owner = catalog.find(job).map(spec -> spec.owner()).orElse("(a job no longer registered)");
        requireSees(job, owner);
    }
}
