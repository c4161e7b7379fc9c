package dev.skiff.benchmarks;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A child service's resident memory, read from /proc every second until {@link #stop()}. */
final class MemorySampler {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final OrchestratorProcess service;
    private volatile long maxRssKb;
    private volatile long lastRssKb;
    private volatile long peakHwmKb;

    MemorySampler(OrchestratorProcess service) {
        this.service = service;
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        long rss = service.statusKb("VmRSS");
        long hwm = service.statusKb("VmHWM");
        if (rss >= 0) {
            lastRssKb = rss;
            maxRssKb = Math.max(maxRssKb, rss);
        }
        peakHwmKb = Math.max(peakHwmKb, hwm);
    }

    /** Takes a last sample and stops sampling. */
    void stop() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        sample();
    }

    /** The figures as one report line's value. */
    String summary() {
        return String.format("peak VmHWM %.0f MB, max sampled VmRSS %.0f MB, final VmRSS %.0f MB",
                peakHwmKb / 1024.0, maxRssKb / 1024.0, lastRssKb / 1024.0);
    }
}
