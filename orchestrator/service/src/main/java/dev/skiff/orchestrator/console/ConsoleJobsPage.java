package dev.skiff.orchestrator.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.Parameter;
import dev.skiff.orchestrator.api.ConsolePaths;
import dev.skiff.orchestrator.api.JobsResource;
import dev.skiff.orchestrator.api.JobsResource.JobDetail;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's jobs: the list, one job's page (schedules with their next fires, pause and resume, "run now" with
 * the spec's parameters, the spec as {@code GET /jobs/{name}} shows it). Reads and changes go through
 * {@link JobsResource}, so the console keeps every rule of the API.
 */
@Path(ConsolePaths.ROOT + "/jobs")
public class ConsoleJobsPage {

    /** A run's parameters come in as form fields {@code param.<NAME>}. */
    static final String PARAM = "param.";

    private final JobsResource jobs;
    private final ConsolePages pages;
    private final ConsoleScope scope;
    private final ConsoleForms forms;
    private final ObjectMapper mapper;

    public ConsoleJobsPage(JobsResource jobs, ConsolePages pages, ConsoleScope scope, ConsoleForms forms,
                           ObjectMapper mapper) {
        this.jobs = jobs;
        this.pages = pages;
        this.scope = scope;
        this.forms = forms;
        this.mapper = mapper;
    }

    @GET
    public Response list() {
        return pages.render("jobs", chrome -> {
            var all = jobs.list();
            var visible = all.jobs().stream().filter(j -> scope.sees(j.owner())).toList();
            // Spec files that failed to load name no owner a team could be matched with: only an unrestricted caller sees them.
            var invalid = scope.team().isPresent() ? java.util.List.<dev.skiff.orchestrator.app.SpecProblem>of() : all.invalid();
            return ConsoleTemplates.jobs(chrome, visible, invalid);
        });
    }

    @GET
    @Path("/{name}")
    public Response job(@PathParam("name") String name) {
        return pages.render("jobs", chrome -> page(chrome, name));
    }

    @POST
    @Path("/{name}/runs")
    @Consumes("*/*")
    public Response run(@PathParam("name") String name, String body) {
        return pages.render("jobs", chrome -> {
            Map<String, String> fields = forms.read(body);
            visibleJob(name);
            Map<String, String> parameters = new LinkedHashMap<>();
            fields.forEach((field, value) -> {
                if (!field.startsWith(PARAM)) {
                    throw new MalformedRequestException(field + ": not a field of the run form (parameters are "
                            + PARAM + "<NAME>)");
                }
                if (!value.isEmpty()) {
                    // A field left empty leaves the parameter to its default (or to the required-parameter check).
                    parameters.put(field.substring(PARAM.length()), value);
                }
            });
            var started = jobs.start(name, Optional.empty(), parameters);
            return Response.seeOther(UriBuilder.fromPath(ConsolePaths.ROOT + "/runs/{id}")
                    .build(started.run().runId())).build();
        });
    }

    @POST
    @Path("/{name}/schedules/{index}/pause")
    @Consumes("*/*")
    public Response pause(@PathParam("name") String name, @PathParam("index") String index, String body) {
        return pages.render("jobs", chrome -> {
            forms.read(body);
            visibleJob(name);
            jobs.pause(name, scheduleIndex(index));
            return backTo(name);
        });
    }

    @POST
    @Path("/{name}/schedules/{index}/resume")
    @Consumes("*/*")
    public Response resume(@PathParam("name") String name, @PathParam("index") String index, String body) {
        return pages.render("jobs", chrome -> {
            forms.read(body);
            visibleJob(name);
            jobs.resume(name, scheduleIndex(index));
            return backTo(name);
        });
    }

    private Object page(Chrome chrome, String name) {
        JobDetail detail = visibleJob(name);
        var parameters = detail.spec().parameters().stream().map(ParameterField::of).toList();
        return ConsoleTemplates.job(chrome, detail, parameters, json(detail.spec()));
    }

    private JobDetail visibleJob(String name) {
        JobDetail detail = jobs.get(name);
        scope.requireSees(name, detail.spec().owner());
        return detail;
    }

    private static int scheduleIndex(String text) {
        try {
            int index = Integer.parseInt(text);
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new NotFoundException("schedule " + text + ": schedules are numbered from 0 in the order of the spec");
    }

    private static Response backTo(String name) {
        return Response.seeOther(UriBuilder.fromPath(ConsolePaths.ROOT + "/jobs/{name}").build(name)).build();
    }

    private String json(Object spec) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a job spec is always JSON, as GET /jobs/{name} answers it", e);
        }
    }

    /** One input of the "run now" form: a declared parameter with its default filled in. */
    public record ParameterField(String name, String description, String value, boolean required) {

        static ParameterField of(Parameter p) {
            return new ParameterField(p.name(), p.description() == null ? "" : p.description(),
                    p.defaultValue().orElse(""), p.required());
        }

        public String field() {
            return PARAM + name;
        }

        public String id() {
            return "param-" + name;
        }
    }
}
