package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.api.ConsolePaths;
import dev.skiff.orchestrator.api.RunView;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The console's runs page: filters by job, status, trigger and time, and a table that refreshes itself every two
 * seconds (an htmx fragment), so statuses change as the runs do.
 */
@Path(ConsolePaths.ROOT + "/runs")
public class ConsoleRunsPage {

    /**
     * Runs read per job asked, every refresh (the engine filters by job, status and trigger; the time window is
     * applied here). Kept small: in AWS mode each listed run is a Step Functions call.
     */
    static final int FETCHED = 100;
    static final int SHOWN = 100;

    private final RunEngine engine;
    private final JobCatalog catalog;
    private final ConsolePages pages;
    private final ConsoleScope scope;

    public ConsoleRunsPage(RunEngine engine, JobCatalog catalog, ConsolePages pages, ConsoleScope scope) {
        this.engine = engine;
        this.catalog = catalog;
        this.pages = pages;
        this.scope = scope;
    }

    /** The page; with {@code view=table} the table alone, for the page's live refresh. */
    @GET
    public Response list(@QueryParam("job") String job, @QueryParam("status") String status,
                         @QueryParam("trigger") String trigger, @QueryParam("since") String since,
                         @QueryParam("until") String until, @QueryParam("view") String view) {
        return pages.render("runs", chrome -> {
            RunFilter filter = RunFilter.of(job, status, trigger, since, until);
            if ("table".equals(view)) {
                return ConsoleTemplates.runs$table(filter, runs(filter));
            }
            return ConsoleTemplates.runs(chrome, filter, jobNames(), RunFilter.statusNames(), RunFilter.TRIGGERS,
                    runs(filter));
        });
    }

    private List<RunView> runs(RunFilter filter) {
        Set<RunStatus> statuses = filter.statuses().map(Set::of).orElse(Set.of());
        Optional<String> trigger = Optional.of(filter.trigger()).filter(t -> !t.isEmpty());
        List<Run> runs;
        if (!filter.job().isEmpty()) {
            scope.requireSeesRunsOf(filter.job());
            runs = engine.list(new RunQuery(Optional.of(filter.job()), statuses, trigger, FETCHED));
        } else if (scope.team().isPresent()) {
            // one list over the team's jobs: in AWS mode a ListExecutions per job either way, but no more than
            // FETCHED runs held at a time (a list per job held them all: 100 runs times the team's jobs)
            runs = engine.listAmong(jobNames(), new RunQuery(Optional.empty(), statuses, trigger, FETCHED));
        } else {
            runs = engine.list(new RunQuery(Optional.empty(), statuses, trigger, FETCHED));
        }
        return runs.stream()
                .filter(filter::admits)
                .sorted(Comparator.comparing(Run::createdAt).reversed())
                .limit(SHOWN)
                .map(RunView::of)
                .toList();
    }

    /** The jobs whose runs the caller sees, by name. */
    private List<String> jobNames() {
        return catalog.snapshot().jobs().values().stream()
                .filter(j -> scope.sees(j.spec().owner()))
                .map(j -> j.spec().name()).sorted().toList();
    }
}
