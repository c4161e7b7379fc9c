package dev.skiff.orchestrator.port;

/**
 * The id of one attempt of one unit of a run (a step, or one item of a forEach step):
 * {@code <run id>/<step>/<attempt>} or {@code <run id>/<step>[<item>]/<attempt>}. Launchers name tasks, tags, log
 * streams and files with it; it is unique within a run and the same after a restart.
 */
public final class UnitIds {

    private UnitIds() {
    }

    public static String of(String runId, String step, int item, int attempt) {
        return runId + "/" + step + (item == TaskRequest.NO_ITEM ? "" : "[" + item + "]") + "/" + attempt;
    }
}
