package dev.skiff.orchestrator.port;

import dev.skiff.jobs.NotifyChannel;

/** Counts each notification's end: delivered, or failed after its last attempt (metrics, outside the core). */
public interface NotificationOutcomes {

    enum Outcome { DELIVERED, FAILED }

    void counted(NotifyChannel.Kind channel, Outcome outcome);

    NotificationOutcomes NONE = (channel, outcome) -> { };
}
