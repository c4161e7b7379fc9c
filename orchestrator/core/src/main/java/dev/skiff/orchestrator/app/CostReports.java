package dev.skiff.orchestrator.app;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Resources;
import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.orchestrator.port.TaskPricing;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What jobs cost over a period: the attempts of every run started within {@code [since, until)}, each unit of a
 * pipeline counted, priced as the launcher estimated them when they ended. Worked out from the engine's record of the
 * runs each time it is asked (never counted along the way), and bounded: at most {@code maxRuns} runs are read for one
 * report, newest first, and a report that could not read every run of its period says it is truncated.
 */
public final class CostReports {

    /** Runs one report reads at most, unless configured otherwise. */
    public static final int DEFAULT_MAX_RUNS = 1000;
    /** One list of a job's runs; Step Functions gives at most this many in one page. */
    private static final int MAX_LIST = 1000;

    private final RunEngine engine;
    private final Function<String, Optional<JobSpec>> specs;
    private final TaskPricing pricing;
    private final int maxRuns;

    /**
     * @param specs   a registered job's spec by name (its owner, and its steps' sizes)
     * @param pricing the launcher's hourly rates, to price Spot task-seconds on-demand
     * @param maxRuns the most runs one report reads
     */
    public CostReports(RunEngine engine, Function<String, Optional<JobSpec>> specs, TaskPricing pricing, int maxRuns) {
        if (maxRuns < 1) {
            throw new IllegalArgumentException("maxRuns must be at least 1, not " + maxRuns);
        }
        this.engine = engine;
        this.specs = specs;
        this.pricing = pricing;
        this.maxRuns = maxRuns;
    }

    /** The cost of one job's runs started within {@code [since, until)}. */
    public CostReport forJob(String job, Instant since, Instant until) {
        var budget = new Budget(maxRuns);
        CostTally tally = tally(job, specs.apply(job), since, until, budget);
        return tally.report(since, until, job, null, null, budget.truncated);
    }

    /**
     * The cost of several jobs' runs started within {@code [since, until)}, with each job's share (only the jobs that
     * had runs in the period), dearest first.
     *
     * @param owner when present, only the jobs this team owns count
     */
    public CostReport forJobs(Collection<String> jobs, Optional<String> owner, Instant since, Instant until) {
        var budget = new Budget(maxRuns);
        var total = new CostTally();
        var shares = new ArrayList<Share>();
        for (String job : new TreeSet<>(jobs)) {
            Optional<JobSpec> spec = specs.apply(job);
            String jobOwner = spec.map(JobSpec::owner).orElse(null);
            if (owner.isPresent() && !owner.get().equals(jobOwner)) {
                continue;
            }
            CostTally tally = tally(job, spec, since, until, budget);
            if (tally.runs() > 0) {
                total.add(tally);
                shares.add(new Share(tally, tally.jobCost(job, jobOwner)));
            }
        }
        List<JobCost> dearestFirst = shares.stream()
                .sorted(Comparator.comparing((Share s) -> s.tally().dollars()).reversed()
                        .thenComparing(s -> s.cost().job()))
                .map(Share::cost).toList();
        return total.report(since, until, null, owner.orElse(null), dearestFirst, budget.truncated);
    }

    private record Share(CostTally tally, JobCost cost) {
    }

    /** The runs one report may still read, and whether it had to leave some of its period unread. */
    private static final class Budget {
        private int left;
        private boolean truncated;

        Budget(int left) {
            this.left = left;
        }
    }

    private CostTally tally(String job, Optional<JobSpec> spec, Instant since, Instant until, Budget budget) {
        var tally = new CostTally();
        if (!since.isBefore(until)) {
            return tally;
        }
        if (budget.left == 0) {
            budget.truncated = true;
            return tally;
        }
        int limit = Math.min(budget.left, MAX_LIST);
        List<Run> newestFirst = engine.list(new RunQuery(Optional.of(job), Set.of(), Optional.empty(), limit));
        budget.left -= newestFirst.size();
        if (newestFirst.size() >= limit && !newestFirst.get(newestFirst.size() - 1).createdAt().isBefore(since)) {
            budget.truncated = true; // older runs of the period were not listed
        }
        for (Run run : newestFirst) {
            if (run.createdAt().isBefore(since) || !run.createdAt().isBefore(until)) {
                continue;
            }
            tally.addRun();
            for (Unit unit : unitsOf(run, spec)) {
                tally.addUnit(unit.attempts(), unit.size(), pricing);
            }
        }
        return tally;
    }

    /** A step, or one item of a forEach step, with its attempts and the resources it ran with. */
    private record Unit(List<Attempt> attempts, Optional<Resources> size) {
    }

    /** A pipeline's every unit; a one-step run's attempts (a listed run may come without them: read it then). */
    private List<Unit> unitsOf(Run run, Optional<JobSpec> spec) {
        if (spec.filter(JobSpec::isPipeline).isPresent()) {
            Optional<PipelineRun> pipeline = engine.pipeline(run.runId());
            if (pipeline.isPresent()) {
                JobSpec ranBy = pipeline.get().job();
                return pipeline.get().units().stream()
                        .map(u -> new Unit(u.attempts(), sizeOf(Optional.of(ranBy), u.step()))).toList();
            }
        }
        List<Attempt> attempts = run.attempts().isEmpty()
                ? engine.get(run.runId()).map(Run::attempts).orElse(List.of())
                : run.attempts();
        return List.of(new Unit(attempts, sizeOf(spec, StepSpec.MAIN)));
    }

    /** A pipeline's step has its own size; the job's is a step's that names none. */
    private static Optional<Resources> sizeOf(Optional<JobSpec> spec, String step) {
        return spec.map(s -> s.step(step).map(StepSpec::resources).orElse(s.resources()));
    }
}
