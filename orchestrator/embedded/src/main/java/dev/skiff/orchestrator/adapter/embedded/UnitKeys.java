package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.PipelineProgress;

/**
 * The engine's key of one unit it runs: a one-step run's id as it is, and {@code <run id>/<step>} or
 * {@code <run id>/<step>[<item>]} for a unit of a pipeline run. Run ids never contain '/', so the two never meet,
 * and a one-step run keeps the key (and the launch queue entry, the deadline) it always had.
 */
final class UnitKeys {

    private UnitKeys() {
    }

    static String of(String runId, String step, int item) {
        return runId + "/" + step + (item == TaskRequest.NO_ITEM ? "" : "[" + item + "]");
    }

    static boolean isUnit(String key) {
        return key.indexOf('/') >= 0;
    }

    /** The run a key belongs to. */
    static String runOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }

    /** The step and item a unit's key names. */
    static PipelineProgress.Unit unitOf(String key) {
        String unit = key.substring(key.indexOf('/') + 1);
        int bracket = unit.indexOf('[');
        return bracket < 0
                ? new PipelineProgress.Unit(unit, TaskRequest.NO_ITEM)
                : new PipelineProgress.Unit(unit.substring(0, bracket),
                        Integer.parseInt(unit.substring(bracket + 1, unit.length() - 1)));
    }
}
