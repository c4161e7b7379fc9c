package dev.skiff.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.EventMatch;
import dev.skiff.jobs.EventRouter;
import dev.skiff.jobs.EventTrigger;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.app.EventIntake;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.RunDispatcher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.event.ruler.Machine;

/**
 * (a) Event intake: 100,000 events against the patterns of 1,000 jobs on one thread, beside
 * event-ruler's raw {@code Machine.rulesForJSONEvent} on the same rules and events, round by round
 * in the same run. Skiff is measured two ways: the intake path up to starting runs ({@link IntakePath}:
 * read and check the event, match, map parameters, event run id), and the whole of
 * {@link EventIntake#accept} with an engine that only records starts (adding the job lookup and
 * parameter resolution of the dispatcher). Then the time to apply a one-job change with 1,000 jobs
 * registered, against building the router anew (what every change cost before it was incremental).
 */
final class IntakeBenchmark {

    private static final int JOBS = 1_000;
    private static final int EVENTS = 100_000;
    private static final int WARM_UP_ROUNDS = 3;
    private static final int ROUNDS = 5;
    private static final int CHANGES = 20;

    private IntakeBenchmark() {
    }

    static void run() throws Exception {
        long buildStart = System.nanoTime();
        List<JobSpec> jobs = IntakeWorkload.jobs(JOBS);
        List<String> events = IntakeWorkload.events(EVENTS, 20261126L);
        System.out.printf("intake: %,d job specs parsed and %,d events generated in %.1f s%n", JOBS, EVENTS, (System.nanoTime() - buildStart) / 1e9);

        Machine raw = new Machine();
        for (JobSpec job : jobs) {
            List<EventTrigger> triggers = job.triggers().events();
            for (int i = 0; i < triggers.size(); i++) {
                raw.addRule(job.name() + "#" + i, triggers.get(i).pattern());
            }
        }
        JobCatalog catalog = new JobCatalog();
        catalog.replace(registered(jobs), List.of());
        var engine = new RecordingRunEngine(Clock.systemUTC(), false);
        var intake = new EventIntake(catalog, new RunDispatcher(catalog, engine), new ObjectMapper(), Clock.systemUTC());

        long expected = checkSameMatches(raw, catalog.snapshot().router(), events);
        long matchingEvents = events.stream().filter(e -> !catalog.snapshot().router().route(e).isEmpty()).count();
        System.out.printf("intake: %,d of %,d events (%.0f%%) match at least one job; %,d runs in all (%.2f a matching event)%n",
                matchingEvents, EVENTS, 100.0 * matchingEvents / EVENTS, expected, (double) expected / matchingEvents);

        var path = new IntakePath(() -> catalog.snapshot().router());
        for (int r = 0; r < WARM_UP_ROUNDS; r++) {
            rawRound(raw, events);
            pathRound(path, events, expected);
            intakeRound(intake, engine, events, expected);
        }
        double[] rawRates = new double[ROUNDS];
        double[] pathRates = new double[ROUNDS];
        double[] intakeRates = new double[ROUNDS];
        double[] pathRatios = new double[ROUNDS];
        double[] intakeRatios = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            rawRates[r] = rawRound(raw, events);
            pathRates[r] = pathRound(path, events, expected);
            intakeRates[r] = intakeRound(intake, engine, events, expected);
            pathRatios[r] = pathRates[r] / rawRates[r];
            intakeRatios[r] = intakeRates[r] / rawRates[r];
            System.out.printf("  round %d: event-ruler raw %,.0f events/s; Skiff intake path %,.0f events/s (ratio %.2f); "
                    + "EventIntake.accept %,.0f events/s (ratio %.2f)%n", r + 1, rawRates[r], pathRates[r], pathRatios[r], intakeRates[r], intakeRatios[r]);
        }
        System.out.printf("intake: median over %d rounds of %,d events x %,d jobs, one thread: event-ruler rulesForJSONEvent %,.0f events/s; "
                        + "Skiff intake path (parse, match, map parameters, run id) %,.0f events/s, ratio %.2f (target >= 0.8); "
                        + "EventIntake.accept as it is (also re-reads each event, resolves parameters) %,.0f events/s, ratio %.2f%n",
                ROUNDS, EVENTS, JOBS, Stats.median(rawRates), Stats.median(pathRates), Stats.median(pathRatios),
                Stats.median(intakeRates), Stats.median(intakeRatios));

        oneJobChange(catalog, jobs, events);
    }

    private static List<RegisteredJob> registered(List<JobSpec> jobs) {
        return jobs.stream().map(j -> new RegisteredJob(j, j.name() + ".yaml")).toList();
    }

    /** The (event, job) pairs the raw machine finds, after checking that Skiff's router finds the very same ones. */
    private static long checkSameMatches(Machine raw, EventRouter router, List<String> events) throws Exception {
        long pairs = 0;
        for (String event : events) {
            Set<String> rawJobs = new HashSet<>();
            for (String rule : raw.rulesForJSONEvent(event)) {
                rawJobs.add(rule.substring(0, rule.indexOf('#')));
            }
            Set<String> skiffJobs = new HashSet<>();
            router.route(event).forEach(m -> skiffJobs.add(m.jobName()));
            if (!rawJobs.equals(skiffJobs)) {
                throw new IllegalStateException("event-ruler matched " + rawJobs + " but Skiff " + skiffJobs + " for " + event);
            }
            pairs += rawJobs.size();
        }
        return pairs;
    }

    private static double rawRound(Machine raw, List<String> events) throws Exception {
        long matched = 0;
        long start = System.nanoTime();
        for (String event : events) {
            matched += raw.rulesForJSONEvent(event).size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (matched == 0) {
            throw new IllegalStateException("event-ruler matched nothing");
        }
        return events.size() / seconds;
    }

    private static double pathRound(IntakePath path, List<String> events, long expectedRuns) throws Exception {
        long runs = 0;
        long start = System.nanoTime();
        for (String event : events) {
            runs += path.accept(event);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (runs != expectedRuns) {
            throw new IllegalStateException("expected " + expectedRuns + " runs, the intake path found " + runs);
        }
        return events.size() / seconds;
    }

    private static double intakeRound(EventIntake intake, RecordingRunEngine engine, List<String> events, long expectedRuns) {
        engine.forget();
        long errors = 0;
        long start = System.nanoTime();
        for (String event : events) {
            for (EventIntake.EventResult result : intake.accept(event).results()) {
                errors += result.errors().size();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (errors != 0 || engine.starts() != expectedRuns) {
            throw new IllegalStateException("expected " + expectedRuns + " runs and no errors, got " + engine.starts() + " runs and " + errors + " errors");
        }
        return events.size() / seconds;
    }

    /** Changing, adding and removing one job with 1,000 registered, against building the router anew. */
    private static void oneJobChange(JobCatalog catalog, List<JobSpec> jobs, List<String> events) {
        double[] rebuild = new double[5];
        for (int r = 0; r < rebuild.length; r++) {
            long start = System.nanoTime();
            EventRouter.of(jobs);
            rebuild[r] = (System.nanoTime() - start) / 1e6;
        }
        List<JobSpec> current = new ArrayList<>(jobs);
        double[] change = new double[CHANGES];
        for (int c = 0; c < CHANGES; c++) {
            int index = (c * 37) % JOBS; // every kind of pattern: S3, orders, pipeline, monitoring
            current.set(index, JobSpecs.parse("changed.yaml", IntakeWorkload.spec(index, c + 1)));
            change[c] = timeReplace(catalog, current);
        }
        current.add(JobSpecs.parse("added.yaml", IntakeWorkload.spec(JOBS, 0)));
        double add = timeReplace(catalog, current);
        current.remove(JOBS / 2);
        double remove = timeReplace(catalog, current);
        double unchanged = timeReplace(catalog, current);
        checkSameRoutes(catalog.snapshot().router(), EventRouter.of(current), events.subList(0, 20_000));
        System.out.printf("intake: one-job change with %,d jobs: full rebuild (EventRouter.of, what JobCatalog.replace did before) median %.0f ms; "
                        + "incremental JobCatalog.replace now: change median %.1f ms (max %.1f over %d changes), add %.1f ms, remove %.1f ms, "
                        + "nothing changed %.1f ms; rebuild/change %.0fx%n",
                JOBS, Stats.median(rebuild), Stats.median(change), new Stats(change).percentile(100), CHANGES, add, remove, unchanged,
                Stats.median(rebuild) / Stats.median(change));
    }

    private static double timeReplace(JobCatalog catalog, List<JobSpec> jobs) {
        List<RegisteredJob> registered = registered(jobs);
        long start = System.nanoTime();
        catalog.replace(registered, List.of());
        return (System.nanoTime() - start) / 1e6;
    }

    private static void checkSameRoutes(EventRouter updated, EventRouter fresh, List<String> events) {
        for (String event : events) {
            List<EventMatch> got = updated.route(event);
            List<EventMatch> want = fresh.route(event);
            if (!got.equals(want)) {
                throw new IllegalStateException("after the changes the router gives " + got + " where a fresh one gives " + want + " for " + event);
            }
        }
    }
}
