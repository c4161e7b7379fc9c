package dev.skiff.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Quartz 2.5.2 scheduling the same fires: one JobDetail and one CronTrigger (same expression, same
 * zone) per schedule in the RAMJobStore, each fire running a job that only notes its lateness.
 *
 * <p>Thread pool: twice the cores. The jobs take microseconds, so more threads would only contend;
 * the scheduler thread may acquire as many due triggers at once as there are free threads
 * ({@code batchTriggerAcquisitionMaxCount} = thread count; Quartz's default of 1 acquires one at a time).
 *
 * <p>Misfires: Skiff's schedules say {@code misfire: none}, so the triggers say do-nothing. Quartz's default ("smart
 * policy", for a CronTrigger fire-once-now) fires a trigger that is more than the misfire threshold (60 s) late at
 * once, with the time it fired as its scheduled fire time: an instant its expression does not name. At 100,000
 * schedules registering takes long enough that the first triggers registered are that late when the scheduler
 * starts, and those fires fell inside the window as fires that were never due: Quartz appeared to fire more than
 * was due. {@code -Dskiff.bench.quartz-misfire=smart} brings the default back to show it; such fires are counted
 * as not due either way.
 */
final class QuartzCron {

    private static final String NAME = "bench-quartz";
    static final int THREADS = 2 * Runtime.getRuntime().availableProcessors();
    private static final boolean SMART_MISFIRE = "smart".equals(System.getProperty("skiff.bench.quartz-misfire"));

    /** Lateness of each fire in ms by (job, scheduled instant), written by the jobs; fires outside the window are not kept. */
    private static final Map<String, Double> LATENESS = new ConcurrentHashMap<>();
    /** Every fire run in the window, so that one run twice shows. */
    private static final AtomicInteger FIRES = new AtomicInteger();
    private static volatile long recordFrom;
    private static volatile long recordTo;

    /** Does nothing but note how late it runs: Quartz makes a new instance for every fire. */
    public static final class NoOpJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            long now = System.currentTimeMillis();
            long scheduled = context.getScheduledFireTime().getTime();
            if (scheduled > recordFrom && scheduled <= recordTo) {
                FIRES.incrementAndGet();
                LATENESS.put(DueFires.key(context.getJobDetail().getKey().getName(), Instant.ofEpochMilli(scheduled)),
                        (double) (now - scheduled));
            }
        }
    }

    private QuartzCron() {
    }

    static CronResult run(List<CronWorkload.CronDef> defs, String set, Duration window, double heapBefore) throws Exception {
        Properties config = new Properties();
        config.setProperty("org.quartz.scheduler.instanceName", NAME);
        config.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        config.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        config.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", String.valueOf(THREADS));
        config.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        config.setProperty("org.quartz.threadPool.threadCount", String.valueOf(THREADS));
        config.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        config.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        Scheduler scheduler = new StdSchedulerFactory(config).getScheduler();
        try {
            LATENESS.clear();
            FIRES.set(0);
            recordFrom = Long.MAX_VALUE;
            recordTo = Long.MIN_VALUE;
            long registerStart = System.nanoTime();
            for (CronWorkload.CronDef def : defs) {
                CronScheduleBuilder schedule = CronScheduleBuilder.cronSchedule(def.quartz()).inTimeZone(TimeZone.getTimeZone(def.zone()));
                scheduler.scheduleJob(JobBuilder.newJob(NoOpJob.class).withIdentity(def.job()).build(),
                        TriggerBuilder.newTrigger().withIdentity(def.job())
                                .withSchedule(SMART_MISFIRE ? schedule : schedule.withMisfireHandlingInstructionDoNothing())
                                .build());
            }
            double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
            double heapMb = Measure.heapAfterGcMb() - heapBefore;

            Instant from = Instant.now();
            Instant to = from.plus(window).minus(CronBenchmark.GRACE);
            recordFrom = from.toEpochMilli();
            recordTo = to.toEpochMilli();
            scheduler.start();
            var threads = Measure.threads(name -> name.startsWith(NAME + "_"));
            ProcessCpu process = ProcessCpu.self();
            long cpu0 = Measure.cpuNanos(threads);
            double process0 = process.seconds();
            var threads0 = process.secondsByThread();
            long wall0 = System.nanoTime();
            Thread.sleep(window.toMillis() - Duration.between(from, Instant.now()).toMillis());
            double minutes = (System.nanoTime() - wall0) / 60e9;
            double cpu = (Measure.cpuNanos(threads) - cpu0) / 1e9 / minutes;
            double processCpu = (process.seconds() - process0) / minutes;
            System.out.printf("cron: Quartz %s %,d: busiest threads of the process, CPU s/min: %s%n", set, defs.size(),
                    ProcessCpu.busiest(threads0, process.secondsByThread(), minutes));
            scheduler.standby();
            DueFires due = DueFires.of(defs, from, to);
            Map<String, Double> ran = Map.copyOf(LATENESS);
            int dueRun = due.dueAmong(ran.keySet());
            double[] lateness = ran.entrySet().stream().filter(e -> due.isDue(e.getKey())).mapToDouble(Map.Entry::getValue).toArray();
            long changeStart = System.nanoTime();
            scheduler.rescheduleJob(new TriggerKey(defs.get(0).job()), TriggerBuilder.newTrigger().withIdentity(defs.get(0).job())
                    .forJob(defs.get(0).job()).withSchedule(CronScheduleBuilder.cronSchedule("0 5 4 * * ?")).build());
            double changeMs = (System.nanoTime() - changeStart) / 1e6;
            return CronResult.of("Quartz", set, defs.size(), registerSeconds, heapMb, cpu, processCpu, dueRun, due.size(),
                    FIRES.get() - dueRun, new Stats(lateness), changeMs);
        } finally {
            scheduler.shutdown(false);
        }
    }
}
