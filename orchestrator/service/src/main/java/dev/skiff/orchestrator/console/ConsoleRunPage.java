package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.api.ConsolePaths;
import dev.skiff.orchestrator.api.RunView;
import dev.skiff.orchestrator.api.RunsResource;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.workflows.RunStatus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One run in the console: its attempts (where each ran, exit codes, errors, cost), a pipeline's step graph, and a
 * live tail of a log. The live parts are htmx fragments polled every two seconds; once the run has ended they answer
 * 286, which tells htmx to stop polling. Reads and the cancel go through {@link RunsResource}, with its rules.
 */
@Path(ConsolePaths.ROOT + "/runs/{runId}")
public class ConsoleRunPage {

    /** htmx stops polling on this status (and still shows the answer). */
    static final int STOP_POLLING = 286;
    static final int LOG_LINES = 200;

    private final RunsResource runs;
    private final ConsolePages pages;
    private final ConsoleScope scope;
    private final ConsoleForms forms;

    public ConsoleRunPage(RunsResource runs, ConsolePages pages, ConsoleScope scope, ConsoleForms forms) {
        this.runs = runs;
        this.pages = pages;
        this.scope = scope;
        this.forms = forms;
    }

    @GET
    public Response page(@PathParam("runId") String runId, @QueryParam("step") String step,
                         @QueryParam("item") String item) {
        return pages.render("runs", chrome -> {
            RunView run = visibleRun(runId);
            return ConsoleTemplates.run(chrome, run, ended(run), LogChoice.of(run, step, item));
        });
    }

    @GET
    @Path("/live")
    public Response live(@PathParam("runId") String runId) {
        return pages.render("runs", chrome -> {
            RunView run = visibleRun(runId);
            return stopWhenEnded(run, ConsoleTemplates.run$live(chrome, run, ended(run)).render());
        });
    }

    @GET
    @Path("/log")
    public Response log(@PathParam("runId") String runId, @QueryParam("step") String step,
                        @QueryParam("item") String item, @QueryParam("attempt") String attempt) {
        return pages.render("runs", chrome -> {
            RunView run = visibleRun(runId);
            String text;
            try {
                text = runs.log(runId, step, item, attempt, String.valueOf(LOG_LINES));
            } catch (NotFoundException | MalformedRequestException e) {
                // Not an error of the page: the log is not there yet, or this run needs a step named.
                text = "(" + e.getMessage() + ")";
            }
            return stopWhenEnded(run, ConsoleTemplates.runLog(text).render());
        });
    }

    @GET
    @Path("/steps/{step}/items")
    public Response items(@PathParam("runId") String runId, @PathParam("step") String step) {
        return pages.render("runs", chrome -> {
            RunView run = visibleRun(runId);
            return ConsoleTemplates.items(chrome, run, step, runs.items(runId, step, null, "0", "1000"));
        });
    }

    @POST
    @Path("/cancel")
    @Consumes("*/*")
    public Response cancel(@PathParam("runId") String runId, String body) {
        return pages.render("runs", chrome -> {
            forms.read(body);
            visibleRun(runId);
            runs.cancel(runId);
            return Response.seeOther(UriBuilder.fromPath(ConsolePaths.ROOT + "/runs/{id}").build(runId)).build();
        });
    }

    private RunView visibleRun(String runId) {
        RunView run = runs.get(runId);
        scope.requireSeesRunsOf(run.job());
        return run;
    }

    static boolean ended(RunView run) {
        return RunStatus.valueOf(run.status()).isTerminal();
    }

    private static Response stopWhenEnded(RunView run, String html) {
        return Response.status(ended(run) ? STOP_POLLING : 200).type(ConsolePages.HTML).entity(html).build();
    }

    /**
     * Which log the run page tails: a one-step run's own; a pipeline's chosen step (and item), none until one is
     * chosen from the step graph.
     */
    public record LogChoice(boolean chosen, String label, String query) {

        static LogChoice of(RunView run, String step, String item) {
            boolean pipeline = run.steps() != null && !run.steps().isEmpty();
            boolean named = step != null && !step.isBlank();
            if (pipeline && !named) {
                return new LogChoice(false, "", "");
            }
            String label = !named ? "the latest attempt" : "step " + step
                    + (item == null || item.isBlank() ? "" : " item " + item) + ", latest attempt";
            String query = (named ? "step=" + encode(step) : "")
                    + (item == null || item.isBlank() ? "" : (named ? "&" : "") + "item=" + encode(item));
            return new LogChoice(true, label, query);
        }

        private static String encode(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8);
        }
    }
}
