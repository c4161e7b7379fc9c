package dev.skiff.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Everything under {@code skiff.backfill.}: how the open backfills are driven. */
@ConfigMapping(prefix = "skiff.backfill")
public interface BackfillConfig {

    /**
     * How often each open backfill's runs are looked at and its next fires started. Each look lists the job's newest
     * cron runs (in AWS mode, ListExecutions pages), so a short interval costs API calls, a long one idle slots.
     */
    @WithDefault("5s")
    Duration tickInterval();
}
