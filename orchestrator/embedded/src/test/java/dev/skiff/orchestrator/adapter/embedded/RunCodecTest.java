package dev.skiff.orchestrator.adapter.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Capacity;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs as stored: what is written reads back the same, and runs stored by older versions still read. */
class RunCodecTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private final RunCodec codec = new RunCodec();

    private static Run runWithCost(Optional<BigDecimal> cost) {
        var attempt = new Attempt(1, Capacity.SPOT_FIRST, "arn:aws:ecs:us-east-1:123456789012:task/skiff/a", "spot",
                "/skiff/jobs/etl:skiff/job/a", T0, T0.plusSeconds(600), Optional.empty(),
                Optional.of(new StepOutcome.Succeeded()), Optional.of(T0.plusSeconds(60)), cost);
        return new Run("etl-m-01", "etl", "api", Map.of(), RunStatus.SUCCEEDED, T0, Optional.of(T0.plusSeconds(60)),
                List.of(attempt), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void shouldReadBackAPipelineSpecWithEveryStepField() {
        // Given a spec with steps, dependencies, a forEach with a share of failures tolerated, and references
        var spec = dev.skiff.jobs.JobSpecs.parse("etl.yaml", """
                name: etl
                owner: team-a
                image: etl:1
                command: [run]
                parameters:
                  PARTS: {default: '[1]'}
                steps:
                  - {name: a}
                  - name: b
                    dependsOn: [a]
                    forEach: {items: $.parameters.PARTS, maxConcurrency: 3, toleratedFailures: "10%"}
                    parameters: {X: $.item.name, Y: plain}
                  - name: c
                    dependsOn: [a]
                    forEach: {list: inbox, toleratedFailures: 2}
                """);

        // When it is stored and read back
        var decoded = codec.decodeSpec(codec.encode(spec));

        // Then it is the same spec
        assertThat(decoded).isEqualTo(spec);
    }

    @Test
    void shouldReadBackAnAttemptsCostWhenItWasStored() {
        // Given
        Run run = runWithCost(Optional.of(new BigDecimal("0.000240")));

        // When
        Run decoded = codec.decodeRun(codec.encode(run));

        // Then
        assertThat(decoded).isEqualTo(run);
    }

    @Test
    void shouldReadNoCostWhenTheRunWasStoredBeforeAttemptsHadOne() {
        // Given a document as an older version wrote it: no costUsd at all
        String stored = codec.encode(runWithCost(Optional.empty())).replace(",\"costUsd\":null", "");
        assertThat(stored).doesNotContain("costUsd");

        // When
        Run decoded = codec.decodeRun(stored);

        // Then
        assertThat(decoded.attempts()).singleElement().satisfies(a -> assertThat(a.costUsd()).isEmpty());
    }
}
