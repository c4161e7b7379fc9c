package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.api.JobsResource.JobDetail;
import dev.skiff.orchestrator.api.JobsResource.JobSummary;
import dev.skiff.orchestrator.api.RunView;
import dev.skiff.orchestrator.app.SpecProblem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/** The console's pages (src/main/resources/templates/*.html), checked against these parameters at build time. */
@CheckedTemplate
public final class ConsoleTemplates {

    private ConsoleTemplates() {
    }

    static native TemplateInstance jobs(Chrome chrome, List<JobSummary> jobs, List<SpecProblem> invalid);

    static native TemplateInstance job(Chrome chrome, JobDetail job, List<ConsoleJobsPage.ParameterField> parameters,
                                       String specJson);

    static native TemplateInstance runs(Chrome chrome, RunFilter filter, List<String> jobs, List<String> statuses,
                                        List<String> triggers, List<RunView> runs);

    static native TemplateInstance runs$table(RunFilter filter, List<RunView> runs);

    static native TemplateInstance run(Chrome chrome, RunView run, boolean ended, ConsoleRunPage.LogChoice log);

    static native TemplateInstance run$live(Chrome chrome, RunView run, boolean ended);

    static native TemplateInstance runLog(String text);

    static native TemplateInstance items(Chrome chrome, RunView run, String step, List<RunView.ItemView> items);

    static native TemplateInstance cost(Chrome chrome, ConsoleCostPage.CostQuery query, List<String> teams,
                                        dev.skiff.orchestrator.app.CostReport total, List<ConsoleCostPage.TeamCost> byTeam);

    static native TemplateInstance signIn(Chrome chrome, String error);

    static native TemplateInstance error(Chrome chrome, int status, String title, String detail, List<String> problems);
}
