package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.time.Instant;

/**
 * Answers steps' tokens on moto so that every answer is heard. Moto 5.2.5 watches for an answer through a heartbeat
 * endpoint it sets up only after it has sent the launch request: an answer arriving in between is kept but not read,
 * and the step waits until its HeartbeatSeconds (minutes). So an attempt the execution still waits for a moment after
 * its answer is answered again, with the same outcome. That is safe because moto waits at least a second (the
 * shortest retry interval) before the next attempt, which would reuse the token. AWS needs none of this.
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

    /** Answers the attempt's token, and again while the execution still waits for that attempt. */
    public TaskTokens.Delivery answer(String job, String runId, int attempt, String taskToken, StepOutcome outcome,
                                      TaskReport task) throws InterruptedException {
        TaskTokens.Delivery delivery = tokens.answer(taskToken, outcome, task);
        Instant giveUp = Instant.now().plus(GIVE_UP_AFTER);
        while (delivery == TaskTokens.Delivery.DELIVERED && Instant.now().isBefore(giveUp)) {
            Thread.sleep(HEARD_WITHIN.toMillis());
            if (!waits.awaits(job, runId, attempt)) {
                return delivery;
            }
            tokens.answer(taskToken, outcome, task);
        }
        return delivery;
    }
}
