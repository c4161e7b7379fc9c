package dev.skiff.orchestrator.domain;

import java.util.Map;

/**
 * What came in and asks for a run. Every intake (cron, event, API) makes one of these; the
 * dispatcher turns it into a run.
 *
 * @param runId       the deterministic run id (see dev.skiff.workflows.RunIds); the same trigger twice gives one run
 * @param source      "cron", "event" or "api"
 * @param parameters  values the trigger gives; defaults and requirements are applied later
 */
public record Trigger(String job, String runId, String source, Map<String, String> parameters) {

    public Trigger {
        parameters = Map.copyOf(parameters);
    }
}
