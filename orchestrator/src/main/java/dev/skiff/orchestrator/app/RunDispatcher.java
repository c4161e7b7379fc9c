package dev.skiff.orchestrator.app;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.Trigger;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.workflows.RunParameters;

/** Turns a trigger from any intake into a run: finds the job, resolves its parameters, starts it once. */
public final class RunDispatcher {

    private final JobCatalog catalog;
    private final RunEngine engine;

    public RunDispatcher(JobCatalog catalog, RunEngine engine) {
        this.catalog = catalog;
        this.engine = engine;
    }

    /**
     * @throws NotFoundException        for a job that is not registered
     * @throws InvalidRequestException  for parameters that are undeclared or missing
     */
    public RunEngine.Started dispatch(Trigger trigger) {
        JobSpec job = catalog.find(trigger.job()).orElseThrow(() -> NotFoundException.job(trigger.job()));
        var resolution = RunParameters.resolve(job, trigger.parameters());
        if (!resolution.ok()) {
            throw new InvalidRequestException("the parameters do not fit job " + job.name(), resolution.problems());
        }
        return engine.start(trigger.runId(), job, trigger.source(), resolution.values());
    }
}
