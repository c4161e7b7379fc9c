package dev.skiff.orchestrator.port;

/**
 * Receives the end of a launched attempt, however the launcher learnt of it (a process exit, a poll, a platform
 * event): once per task, on any thread.
 */
@FunctionalInterface
public interface TaskListener {

    /**
     * A listener that throws has not taken the end: a launcher that learns of ends from the platform reports it again
     * the next time it hears of the task.
     */
    void taskEnded(TaskEnd end);
}
