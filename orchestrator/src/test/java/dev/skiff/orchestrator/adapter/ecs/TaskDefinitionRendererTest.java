package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rendering's hash decides whether a new revision is registered: it must see every change, and only changes. */
class TaskDefinitionRendererTest {

    private final TaskDefinitionRenderer renderer = new TaskDefinitionRenderer(
            FargateOptions.of("skiff", List.of("subnet-1"), "us-east-1"));

    private String hash(JobSpec spec) {
        return TaskDefinitionRenderer.hashOf(renderer.render(spec));
    }

    @Test
    void shouldKeepHashWhenSameSpecIsRenderedAgain() {
        // Given
        JobSpec spec = TestSpecs.shell("etl", "echo hi", "environment: {A: '1', B: '2', C: '3'}");
        JobSpec reordered = TestSpecs.shell("etl", "echo hi", "environment: {C: '3', A: '1', B: '2'}");

        // When / Then
        assertThat(hash(spec)).isEqualTo(hash(reordered)).hasSize(64);
    }

    @Test
    void shouldChangeHashWhenEnvironmentValueChanges() {
        // Given
        JobSpec before = TestSpecs.shell("etl", "echo hi", "environment: {A: '1'}");
        JobSpec after = TestSpecs.shell("etl", "echo hi", "environment: {A: '2'}");

        // When / Then
        assertThat(hash(before)).isNotEqualTo(hash(after));
    }

    @Test
    void shouldChangeHashWhenCommandOrImageChanges() {
        // Given
        JobSpec before = TestSpecs.shell("etl", "echo hi");
        JobSpec otherCommand = TestSpecs.shell("etl", "echo bye");
        JobSpec otherImage = new JobSpec(before.name(), before.description(), before.owner(), "example/test:2",
                before.command(), before.args(), before.environment(), before.secrets(), before.resources(),
                before.capacity(), before.timeout(), before.retries(), before.parameters(), before.tags(), before.triggers());

        // When / Then
        assertThat(hash(before)).isNotEqualTo(hash(otherCommand)).isNotEqualTo(hash(otherImage));
    }

    @Test
    void shouldChangeHashWhenResourcesChange() {
        // Given
        JobSpec before = TestSpecs.shell("etl", "echo hi", "resources: {cpu: 1024, memory: 2048}");
        JobSpec after = TestSpecs.shell("etl", "echo hi", "resources: {cpu: 1024, memory: 4096}");

        // When / Then
        assertThat(hash(before)).isNotEqualTo(hash(after));
    }

    @Test
    void shouldNameRoleOnlyFromConfigurationWhenRendering() {
        // Given
        var options = FargateOptions.of("skiff", List.of("subnet-1"), "us-east-1")
                .withRoles(java.util.Optional.of("arn:aws:iam::1:role/t"), java.util.Optional.empty());

        // When
        var request = new TaskDefinitionRenderer(options).render(TestSpecs.shell("etl", "echo hi"));

        // Then
        assertThat(request.taskRoleArn()).isEqualTo("arn:aws:iam::1:role/t");
        assertThat(request.executionRoleArn()).isNull();
        assertThat(request.family()).isEqualTo("skiff-etl");
    }
}
