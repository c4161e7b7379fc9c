package dev.skiff.benchmarks;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.app.CronScheduler;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.RunDispatcher;
import dev.skiff.orchestrator.app.TickLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Skiff's {@link CronScheduler} on its real {@link TickLoop} and the real clock, with the real
 * catalog and dispatcher in front of an engine that only records starts. CPU is the whole process's
 * and, apart, the tick loop thread's own (it computes next fires, checks for an existing run and dispatches).
 * Its fires are checked against {@link DueFires}, worked out with Quartz's cron code, not Skiff's.
 */
final class SkiffCron {

    private static final String THREAD = "bench-skiff-cron";
    private static final DateTimeFormatter FIRE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    private SkiffCron() {
    }

    static List<JobSpec> specs(List<CronWorkload.CronDef> defs) {
        List<JobSpec> specs = new ArrayList<>(defs.size());
        for (CronWorkload.CronDef def : defs) {
            specs.add(JobSpecs.parse(def.job() + ".yaml", CronWorkload.spec(def)));
        }
        return specs;
    }

    /**
     * @param specs      {@code defs} as parsed job specs: parsing and validating is the registry's work, not the scheduler's
     * @param set        names the schedule set in the result
     * @param heapBefore heap after GC holding only the inputs, to subtract
     */
    static CronResult run(List<CronWorkload.CronDef> defs, List<JobSpec> specs, String set, Duration window, double heapBefore)
            throws Exception {
        Clock clock = Clock.systemUTC();
        var engine = new RecordingRunEngine(clock, true);
        var catalog = new JobCatalog();
        var scheduler = new CronScheduler(catalog, new RunDispatcher(catalog, engine), engine, clock);
        List<RegisteredJob> jobs = specs.stream().map(s -> new RegisteredJob(s, s.name() + ".yaml")).toList();

        long registerStart = System.nanoTime();
        catalog.replace(jobs, List.of());
        scheduler.catchUp(clock.instant()); // as the service starts: the catch-up builds the queue from the catalog
        double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
        double heapMb = Measure.heapAfterGcMb() - heapBefore;

        try (var loop = new TickLoop(THREAD, scheduler, clock).start()) {
            var threads = Measure.threads(THREAD::equals);
            ProcessCpu process = ProcessCpu.self();
            Instant from = clock.instant();
            long cpu0 = Measure.cpuNanos(threads);
            double process0 = process.seconds();
            var threads0 = process.secondsByThread();
            long wall0 = System.nanoTime();
            Thread.sleep(window.toMillis());
            double minutes = (System.nanoTime() - wall0) / 60e9;
            double cpu = (Measure.cpuNanos(threads) - cpu0) / 1e9 / minutes;
            double processCpu = (process.seconds() - process0) / minutes;
            System.out.printf("cron: Skiff %s %,d: busiest threads of the process, CPU s/min: %s%n", set, defs.size(),
                    ProcessCpu.busiest(threads0, process.secondsByThread(), minutes));
            Instant to = from.plus(window).minus(CronBenchmark.GRACE);
            DueFires due = DueFires.of(defs, from, to);
            List<Double> lateness = new ArrayList<>();
            List<String> ran = new ArrayList<>();
            for (Map.Entry<String, Instant> start : engine.started().entrySet()) {
                String runId = start.getKey();
                Instant fire = fireOf(runId);
                if (fire.isAfter(from) && !fire.isAfter(to)) {
                    String key = DueFires.key(runId.substring(0, runId.lastIndexOf("-c-")), fire);
                    ran.add(key);
                    if (due.isDue(key)) {
                        lateness.add(Duration.between(fire, start.getValue()).toNanos() / 1e6);
                    }
                }
            }
            int dueRun = due.dueAmong(ran);
            return CronResult.of("Skiff", set, specs.size(), registerSeconds, heapMb, cpu, processCpu, dueRun, due.size(),
                    ran.size() - dueRun, new Stats(lateness.stream().mapToDouble(Double::doubleValue).toArray()),
                    oneScheduleChange(catalog, jobs));
        }
    }

    /**
     * A registry reload in which one job's schedule changed, as the registry hands it over ({@link JobCatalog#change}: the
     * changed spec alone, as SpecSources does): the median of three, each changing another job.
     */
    private static double oneScheduleChange(JobCatalog catalog, List<RegisteredJob> jobs) {
        double[] ms = new double[3];
        for (int i = 0; i < ms.length; i++) {
            int index = (i * 7919) % jobs.size();
            var def = new CronWorkload.CronDef(jobs.get(index).spec().name(), "5 4 * * *", "0 5 4 * * ?", java.time.ZoneId.of("UTC"));
            var changed = new RegisteredJob(JobSpecs.parse(def.job() + ".yaml", CronWorkload.spec(def)), def.job() + ".yaml");
            long start = System.nanoTime();
            catalog.change(List.of(changed), List.of(), List.of());
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return Stats.median(ms);
    }

    /** The fire instant a cron run id names: {@code <job>-c-<yyyyMMdd'T'HHmmss in UTC>}. */
    private static Instant fireOf(String runId) {
        String suffix = runId.substring(runId.lastIndexOf('-') + 1);
        return LocalDateTime.parse(suffix, FIRE_TIME).toInstant(ZoneOffset.UTC);
    }
}
