package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.time.Instant;

/**
 * Makes sure moto hears every answer to a step's token. Moto 5.2.5 watches for an answer through a heartbeat endpoint
 * it sets up only after it has sent the launch request: an answer arriving in between is kept but not read, and the
 * step waits until its HeartbeatSeconds (minutes). A heartbeat wakes that wait, which then reads the answer held. So
 * while the execution still waits for the answered attempt, it gets heartbeats. That is safe only because moto waits
 * at least a second (the shortest retry interval) before the next attempt, which reuses the token and would read the
 * held answer as its own. AWS needs none of this.
 */
public final class MotoAnswers {

    private static final Duration HEARD_WITHIN = Duration.ofMillis(100);
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(10);

    private final TaskTokens tokens;
    private final StepWaits waits;

    public MotoAnswers(TaskTokens tokens, StepWaits waits) {
        this.tokens = tokens;
        this.waits = waits;
    }

    /** Answers the attempt's token, and returns once the execution no longer waits for that attempt. */
    public TaskTokens.Delivery answer(String job, String runId, int attempt, String taskToken, StepOutcome outcome,
                                      TaskReport task) throws InterruptedException {
        TaskTokens.Delivery delivery = tokens.answer(taskToken, outcome, task);
        if (delivery == TaskTokens.Delivery.DELIVERED) {
            awaitHeard(job, runId, attempt, taskToken);
        }
        return delivery;
    }

    /** After the attempt's token was answered (by whoever): heartbeats while the execution still waits for it. */
    public void awaitHeard(String job, String runId, int attempt, String taskToken) throws InterruptedException {
        Instant giveUp = Instant.now().plus(GIVE_UP_AFTER);
        while (Instant.now().isBefore(giveUp)) {
            Thread.sleep(HEARD_WITHIN.toMillis());
            if (!waits.awaits(job, runId, attempt)) {
                return;
            }
            tokens.heartbeat(taskToken);
        }
    }
}
