package dev.skiff.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronExpression;
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
 * CPU is that of Quartz's scheduler thread and its workers.
 */
final class QuartzCron {

    private static final String NAME = "bench-quartz";
    static final int THREADS = 2 * Runtime.getRuntime().availableProcessors();

    /** Lateness of each fire in ms, written by the jobs; fires before {@link #recordFrom} are not kept. */
    private static final int MAX_RECORDED = 1_000_000;
    private static volatile double[] lateness = new double[0];
    private static final AtomicInteger FIRES = new AtomicInteger();
    /** Job and scheduled instant of each fire recorded, to tell a fire run twice from a fire miscounted. */
    private static final Set<String> DISTINCT = ConcurrentHashMap.newKeySet();
    private static volatile long recordFrom;
    private static volatile long recordTo;

    /** Does nothing but note how late it runs: Quartz makes a new instance for every fire. */
    public static final class NoOpJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            long now = System.currentTimeMillis();
            long scheduled = context.getScheduledFireTime().getTime();
            if (scheduled > recordFrom && scheduled <= recordTo) {
                DISTINCT.add(context.getJobDetail().getKey().getName() + "@" + scheduled);
                int i = FIRES.getAndIncrement();
                double[] sink = lateness;
                if (i < sink.length) {
                    sink[i] = now - scheduled;
                }
            }
        }
    }

    private QuartzCron() {
    }

    static CronResult run(List<CronWorkload.CronDef> defs, Duration window, double heapBefore) throws Exception {
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
            lateness = new double[0];
            FIRES.set(0);
            DISTINCT.clear();
            recordFrom = Long.MAX_VALUE;
            recordTo = Long.MIN_VALUE;
            long registerStart = System.nanoTime();
            for (CronWorkload.CronDef def : defs) {
                scheduler.scheduleJob(JobBuilder.newJob(NoOpJob.class).withIdentity(def.job()).build(),
                        TriggerBuilder.newTrigger().withIdentity(def.job())
                                .withSchedule(CronScheduleBuilder.cronSchedule(def.quartz()).inTimeZone(TimeZone.getTimeZone(def.zone())))
                                .build());
            }
            double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
            double heapMb = Measure.heapAfterGcMb() - heapBefore;

            lateness = new double[MAX_RECORDED];
            Instant from = Instant.now();
            Instant to = from.plus(window).minus(CronBenchmark.GRACE);
            recordFrom = from.toEpochMilli();
            recordTo = to.toEpochMilli();
            scheduler.start();
            var threads = Measure.threads(name -> name.startsWith(NAME + "_"));
            long cpu0 = Measure.cpuNanos(threads);
            long process0 = Measure.processCpuNanos();
            long wall0 = System.nanoTime();
            Thread.sleep(window.toMillis() - Duration.between(from, Instant.now()).toMillis());
            double minutes = (System.nanoTime() - wall0) / 60e9;
            double cpu = (Measure.cpuNanos(threads) - cpu0) / 1e9 / minutes;
            double process = (Measure.processCpuNanos() - process0) / 1e9 / minutes;
            scheduler.standby();
            int expected = expectedFires(defs, from, to);
            int fires = Math.min(FIRES.get(), lateness.length);
            if (DISTINCT.size() != fires) {
                System.out.printf("cron: Quartz ran %,d fires in the window, of which %,d distinct (job, scheduled instant)%n", fires, DISTINCT.size());
            }
            long changeStart = System.nanoTime();
            scheduler.rescheduleJob(new TriggerKey(defs.get(0).job()), TriggerBuilder.newTrigger().withIdentity(defs.get(0).job())
                    .forJob(defs.get(0).job()).withSchedule(CronScheduleBuilder.cronSchedule("0 5 4 * * ?")).build());
            double changeMs = (System.nanoTime() - changeStart) / 1e6;
            return new CronResult("Quartz", defs.size(), registerSeconds, heapMb, cpu, process, fires, expected,
                    new Stats(Arrays.copyOf(lateness, fires)), changeMs);
        } finally {
            scheduler.shutdown(false);
        }
    }

    /** Counted with Quartz's own CronExpression, independently of Skiff's cron code. */
    private static int expectedFires(List<CronWorkload.CronDef> defs, Instant from, Instant to) throws Exception {
        int count = 0;
        Date end = Date.from(to);
        for (CronWorkload.CronDef def : defs) {
            CronExpression cron = new CronExpression(def.quartz());
            cron.setTimeZone(TimeZone.getTimeZone(def.zone()));
            for (Date next = cron.getNextValidTimeAfter(Date.from(from)); next != null && !next.after(end); next = cron.getNextValidTimeAfter(next)) {
                count++;
            }
        }
        return count;
    }
}
