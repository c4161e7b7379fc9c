package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;

class TaskDocumentsTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void shouldPriceAnUnwatchedPipelineTaskByItsStepsResourcesWhenTheDocumentNamesNone() {
        // Given a pipeline whose transform step has 4 vCPU and 8 GiB (the job's own are smaller), and a stopped task of
        // that step whose document names no cpu or memory, ran on-demand for an hour
        JobSpec job = TestSpecs.shell("etl", "true", """
                steps:
                  - name: transform
                    resources: {cpu: 4096, memory: 8192}
                """);
        Task task = Task.builder().taskArn("arn:aws:ecs:us-east-1:123456789012:task/skiff/t").lastStatus("STOPPED")
                .desiredStatus("STOPPED").capacityProviderName("FARGATE").startedAt(T0).stoppedAt(T0.plus(Duration.ofHours(1)))
                .containers(Container.builder().name("job").exitCode(0).lastStatus("STOPPED").build())
                .overrides(o -> o.containerOverrides(c -> c.name("job").environment(
                        env("SKIFF_RUN_ID", "etl-r"), env("SKIFF_JOB", "etl"), env("SKIFF_ATTEMPT", "1"),
                        env("SKIFF_STEP", "transform"))))
                .build();

        // When its end is read with no watch of this process
        var end = new TaskDocuments(FargatePriceTable.shipped().forRegion("us-east-1"), Clock.systemUTC())
                .view(task, Optional.empty(), name -> Optional.of(job)).end().orElseThrow();

        // Then it costs what 4 vCPU and 8 GiB cost for an hour, the step's size (and its default 21 GiB of storage, 1
        // above the free 20), at the shipped us-east-1 x86 prices
        assertThat(end.costUsd()).hasValueSatisfying(cost -> assertThat(cost.doubleValue())
                .isCloseTo(4 * 0.04048 + 8 * 0.004445 + 0.000111, org.assertj.core.data.Offset.offset(0.000001)));
    }

    private static KeyValuePair env(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }
}
