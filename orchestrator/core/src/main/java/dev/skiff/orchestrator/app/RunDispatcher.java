package dev.skiff.orchestrator.app;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.Trigger;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.workflows.RunParameters;

/** Turns a trigger from any intake into a run: finds the job (unless the intake has its spec), resolves its parameters, starts it once. */
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
        return dispatch(catalog.find(trigger.job()).orElseThrow(() -> NotFoundException.job(trigger.job())), trigger);
    }

    /**
     * For an intake that holds the job's spec already (the scheduler, which decided the fire by it): the run starts
     * by that spec, with no second look in the catalog, even if a reload changed the job since.
     *
     * @throws InvalidRequestException  for parameters that are undeclared or missing
     */
    public RunEngine.Started dispatch(JobSpec job, Trigger trigger) {
        if (!job.name().equals(trigger.job())) {
            throw new IllegalArgumentException("a trigger of job " + trigger.job() + " dispatched with the spec of job " + job.name());
        }
        var resolution = RunParameters.resolve(job, trigger.parameters());
        if (!resolution.ok()) {
            throw new InvalidRequestException("the parameters do not fit job " + job.name(), resolution.problems());
        }
        return engine.start(trigger.runId(), job, trigger.source(), resolution.values());
    }
}
