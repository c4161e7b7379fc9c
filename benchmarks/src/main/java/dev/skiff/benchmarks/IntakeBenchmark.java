package dev.skiff.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.ThreadMXBean;
import dev.skiff.jobs.EventMatch;
import dev.skiff.jobs.EventRouter;
import dev.skiff.jobs.EventTrigger;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.app.EventIntake;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.RunDispatcher;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.event.ruler.Machine;

/**
 * (a) Event intake: the patterns of 1,000 jobs, and two sets of 100,000 events on one thread: the workload's own
 * (about 77% match no job) and one where 95% match no job. Each set goes through event-ruler's raw
 * {@code Machine.rulesForJSONEvent(String)} and through the production {@link EventIntake#accept(String)} (the call
 * {@code POST /events} makes; the queue's {@code acceptQueued} takes the same path) over a real {@link JobCatalog}
 * and {@link RunDispatcher}, with an engine that only records starts; taking turns every 1,000 events and timed by
 * the thread's CPU time, so that the ratios compare like with like on a machine other processes load. event-ruler
 * without its (default) structured matcher is timed too, to tell which of its matchers is the faster. For each set it
 * prints how many events the router's source index answered without event-ruler (no pattern names their source, or
 * their detail-type with it). Then the time to apply a one-job change with 1,000 jobs registered, against building
 * the router anew.
 */
final class IntakeBenchmark {

    static final String COMMAND = "./mvnw -B -Pbench -pl benchmarks -am verify -DskipTests -Dbench=intake";

    private static final int JOBS = 1_000;
    private static final int EVENTS = 100_000;
    private static final int WARM_UP_ROUNDS = 3;
    private static final int ROUNDS = 7;
    private static final int CHANGES = 20;
    private static final int CHUNK = 1_000;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private IntakeBenchmark() {
    }

    /** One set of events and what the intake must start for it. */
    private record EventSet(String name, List<String> events, long runs, long rules, double unmatchedShare) {
    }

    static void run() throws Exception {
        long buildStart = System.nanoTime();
        List<JobSpec> jobs = IntakeWorkload.jobs(JOBS);
        JobCatalog catalog = new JobCatalog();
        catalog.replace(registered(jobs), List.of());
        EventRouter router = catalog.snapshot().router();
        Machine raw = new Machine();
        Machine classic = Machine.builder().withStructuredMatching(false).build();
        for (JobSpec job : jobs) {
            List<EventTrigger> triggers = job.triggers().events();
            for (int i = 0; i < triggers.size(); i++) {
                raw.addRule(job.name() + "#" + i, triggers.get(i).pattern());
                classic.addRule(job.name() + "#" + i, triggers.get(i).pattern());
            }
        }
        List<String> workload = IntakeWorkload.events(EVENTS, 20261126L);
        List<EventSet> sets = List.of(
                set("workload", workload, raw, router),
                set("95% unmatched", mostlyUnmatched(IntakeWorkload.events(3 * EVENTS, 20261206L), router), raw, router));
        System.out.printf("intake: %,d job specs parsed and %,d events in two sets generated and checked in %.1f s%n", JOBS, 2 * EVENTS,
                (System.nanoTime() - buildStart) / 1e9);
        boolean classicAgrees = true;
        for (EventSet set : sets) {
            classicAgrees &= sameMatches(raw, classic, set.events());
            System.out.printf("intake: set \"%s\": %,d events, %.1f%% match no job; %,d runs to start%n", set.name(), set.events().size(),
                    100 * set.unmatchedShare(), set.runs());
        }

        var engine = new RecordingRunEngine(Clock.systemUTC(), false);
        var intake = new EventIntake(catalog, new RunDispatcher(catalog, engine), new ObjectMapper(), Clock.systemUTC());
        List<Contender> contenders = List.of(
                new Contender("event-ruler rulesForJSONEvent(String)", events -> {
                    long matched = 0;
                    for (String event : events) {
                        matched += raw.rulesForJSONEvent(event).size();
                    }
                    return matched;
                }),
                new Contender("Skiff EventIntake.accept(String)", events -> {
                    long errors = 0;
                    for (String event : events) {
                        for (EventIntake.EventResult result : intake.accept(event).results()) {
                            errors += result.errors().size();
                        }
                    }
                    return errors;
                }),
                new Contender("event-ruler without structured matching", events -> {
                    long matched = 0;
                    for (String event : events) {
                        matched += classic.rulesForJSONEvent(event).size();
                    }
                    return matched;
                }));
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        for (int r = 0; r < WARM_UP_ROUNDS; r++) {
            for (EventSet set : sets) {
                round(contenders, set, engine);
            }
        }
        int count = sets.size();
        double[][][] rates = new double[count][][];
        double[][] ratios = new double[count][ROUNDS];
        double[][] wallRatios = new double[count][ROUNDS];
        double[][][] bytes = new double[count][2][ROUNDS];
        long[] ruledOut = new long[count];
        for (int s = 0; s < count; s++) {
            rates[s] = new double[contenders.size()][ROUNDS];
        }
        for (int r = 0; r < ROUNDS; r++) {
            for (int s = 0; s < count; s++) {
                EventSet set = sets.get(s);
                long ruledOutBefore = intake.eventsRuledOutBySource();
                Round round = round(contenders, set, engine);
                ruledOut[s] += intake.eventsRuledOutBySource() - ruledOutBefore;
                for (int c = 0; c < contenders.size(); c++) {
                    rates[s][c][r] = round.cpuRate(c);
                }
                ratios[s][r] = round.cpuRate(1) / round.cpuRate(0);
                wallRatios[s][r] = round.wallRate(1) / round.wallRate(0);
                bytes[s][0][r] = round.bytesPerEvent(0);
                bytes[s][1][r] = round.bytesPerEvent(1);
                System.out.printf("  round %d, set \"%s\": event-ruler %,.0f events per CPU-second; Skiff EventIntake.accept %,.0f; "
                                + "ratio %.2f (by wall time %.2f); event-ruler without structured matching %,.0f%n",
                        r + 1, set.name(), round.cpuRate(0), round.cpuRate(1), ratios[s][r], wallRatios[s][r], round.cpuRate(2));
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        for (int s = 0; s < count; s++) {
            EventSet set = sets.get(s);
            System.out.printf("intake: set \"%s\" (%.0f%% of events match no job), %,d events x %,d jobs, one thread, median of %d rounds: "
                            + "event-ruler raw %,.0f events per CPU-second; Skiff EventIntake.accept %,.0f; ratio %.2f "
                            + "(median of the per-round ratios, min %.2f, max %.2f; by wall time %.2f; target >= 0.9)%n",
                    set.name(), 100 * set.unmatchedShare(), set.events().size(), JOBS, ROUNDS, Stats.median(rates[s][0]),
                    Stats.median(rates[s][1]), Stats.median(ratios[s]), new Stats(ratios[s]).percentile(0),
                    new Stats(ratios[s]).percentile(100), Stats.median(wallRatios[s]));
            System.out.printf("intake: set \"%s\": allocated per event (median of the rounds): event-ruler %,.0f bytes; Skiff %,.0f bytes%n",
                    set.name(), Stats.median(bytes[s][0]), Stats.median(bytes[s][1]));
            System.out.printf("intake: set \"%s\": the source index answered %,d of %,d events per round (%.1f%%) without event-ruler: "
                            + "no job's pattern names their source, or their detail-type with it (%d patterns name no plain exact source)%n",
                    set.name(), ruledOut[s] / ROUNDS, set.events().size(), 100.0 * ruledOut[s] / ROUNDS / set.events().size(),
                    router.patternsOpenToEverySource());
        }
        System.out.printf("intake: event-ruler 2.1.0 matches with its structured matcher by default; without it (withStructuredMatching(false))"
                        + " it %s the same answers on both sets, at a median %,.0f and %,.0f events per CPU-second against the default's %,.0f and %,.0f%n",
                classicAgrees ? "gives" : "does NOT give", Stats.median(rates[0][2]), Stats.median(rates[1][2]),
                Stats.median(rates[0][0]), Stats.median(rates[1][0]));
        System.out.printf("intake: rates are events per CPU-second of the measuring thread, each round alternating the contenders every %,d events;"
                        + " %d cores, load average %.2f before the measured rounds and %.2f after; command: %s%n",
                CHUNK, Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, COMMAND);

        oneJobChange(catalog, jobs, workload);
    }

    /** One way to take a list of events in; returns a count to check (rules matched, or errors). */
    private record Contender(String name, Taker taker) {
    }

    @FunctionalInterface
    private interface Taker {
        long take(List<String> events) throws Exception;
    }

    /** CPU and wall nanoseconds each contender spent on the whole set in one round. */
    private record Round(int events, long[] cpuNanos, long[] wallNanos, long[] allocated) {

        double bytesPerEvent(int contender) {
            return (double) allocated[contender] / events;
        }

        double cpuRate(int contender) {
            return events / (cpuNanos[contender] / 1e9);
        }

        double wallRate(int contender) {
            return events / (wallNanos[contender] / 1e9);
        }
    }

    /**
     * The set once through every contender, {@link #CHUNK} events at a time, the contenders taking turns (and turns at
     * going first) chunk by chunk: on a machine other processes load, each sees about the same machine. CPU time of
     * this thread is what counts; wall time is kept to compare.
     */
    private static Round round(List<Contender> contenders, EventSet set, RecordingRunEngine engine) throws Exception {
        engine.forget();
        long[] cpu = new long[contenders.size()];
        long[] wall = new long[contenders.size()];
        long[] allocated = new long[contenders.size()];
        long[] counts = new long[contenders.size()];
        List<String> events = set.events();
        for (int from = 0, chunk = 0; from < events.size(); from += CHUNK, chunk++) {
            List<String> slice = events.subList(from, Math.min(events.size(), from + CHUNK));
            for (int turn = 0; turn < contenders.size(); turn++) {
                int c = (chunk + turn) % contenders.size();
                long allocatedStart = THREADS.getCurrentThreadAllocatedBytes();
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long wallStart = System.nanoTime();
                counts[c] += contenders.get(c).taker().take(slice);
                wall[c] += System.nanoTime() - wallStart;
                cpu[c] += THREADS.getCurrentThreadCpuTime() - cpuStart;
                allocated[c] += THREADS.getCurrentThreadAllocatedBytes() - allocatedStart;
            }
        }
        if (counts[0] != set.rules() || counts[2] != set.rules()) {
            throw new IllegalStateException("event-ruler matched " + counts[0] + " and " + counts[2] + " rules, expected " + set.rules());
        }
        if (counts[1] != 0 || engine.starts() != set.runs()) {
            throw new IllegalStateException("expected " + set.runs() + " runs and no errors, got " + engine.starts() + " runs and "
                    + counts[1] + " errors");
        }
        return new Round(events.size(), cpu, wall, allocated);
    }

    /** The set, after checking that Skiff's router finds the very (event, job) pairs the raw machine finds. */
    private static EventSet set(String name, List<String> events, Machine raw, EventRouter router) throws Exception {
        long runs = checkSameMatches(raw, router, events);
        long unmatched = events.stream().filter(e -> router.route(e).isEmpty()).count();
        long rules = 0;
        for (String event : events) {
            rules += raw.rulesForJSONEvent(event).size();
        }
        return new EventSet(name, events, runs, rules, (double) unmatched / events.size());
    }

    /** 95% of the events from the pool that match no job, 5% that match one, in the pool's order. */
    private static List<String> mostlyUnmatched(List<String> pool, EventRouter router) {
        int matchedWanted = EVENTS / 20;
        int unmatchedWanted = EVENTS - matchedWanted;
        List<String> events = new ArrayList<>(EVENTS);
        int matched = 0;
        int unmatched = 0;
        for (String event : pool) {
            boolean matches = !router.route(event).isEmpty();
            if (matches && matched < matchedWanted) {
                matched++;
                events.add(event);
            } else if (!matches && unmatched < unmatchedWanted) {
                unmatched++;
                events.add(event);
            }
        }
        if (events.size() != EVENTS) {
            throw new IllegalStateException("the pool held too few events: " + matched + " matching, " + unmatched + " not");
        }
        return events;
    }

    private static boolean sameMatches(Machine one, Machine other, List<String> events) throws Exception {
        for (String event : events) {
            if (!new HashSet<>(one.rulesForJSONEvent(event)).equals(new HashSet<>(other.rulesForJSONEvent(event)))) {
                return false;
            }
        }
        return true;
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
