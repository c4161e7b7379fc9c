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
                .withRoles(java.util.Optional.of("arn:aws:iam::123456789012:role/t"), java.util.Optional.empty());

        // When
        var request = new TaskDefinitionRenderer(options).render(TestSpecs.shell("etl", "echo hi"));

        // Then
        assertThat(request.taskRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/t");
        assertThat(request.executionRoleArn()).isNull();
        assertThat(request.family()).isEqualTo("skiff-etl");
    }

    private static final String SECRET = "secrets: {DB_PASSWORD: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:skiff/test-team/db-AbCdEf'}";

    private static FargateOptions withTeamRoles(String... teamEqualsArn) {
        return FargateOptions.of("skiff", List.of("subnet-1"), "us-east-1")
                .withRoles(java.util.Optional.empty(), java.util.Optional.of("arn:aws:iam::123456789012:role/shared"))
                .withTeamExecutionRoles(ExecutionRoles.parseTeamRoles(List.of(teamEqualsArn)));
    }

    @Test
    void shouldStartJobWithItsOwnersExecutionRoleWhenTheTeamHasOne() {
        // Given roles for test-team and another team, and a job of test-team with a secret
        var renderer = new TaskDefinitionRenderer(withTeamRoles(
                "other-team=arn:aws:iam::123456789012:role/other", "test-team=arn:aws:iam::123456789012:role/test-team"));

        // When / Then: with and without secrets, the owner's role
        assertThat(renderer.render(TestSpecs.shell("etl", "echo hi", SECRET)).executionRoleArn())
                .isEqualTo("arn:aws:iam::123456789012:role/test-team");
        assertThat(renderer.render(TestSpecs.shell("etl", "echo hi")).executionRoleArn())
                .isEqualTo("arn:aws:iam::123456789012:role/test-team");
    }

    @Test
    void shouldFallBackToSharedRoleOnlyWhenJobHasNoSecrets() {
        // Given no role for test-team
        var options = withTeamRoles("other-team=arn:aws:iam::123456789012:role/other");

        // When / Then: no secrets take the shared role; secrets are refused, naming the owner and the variable
        assertThat(new TaskDefinitionRenderer(options).render(TestSpecs.shell("etl", "echo hi")).executionRoleArn())
                .isEqualTo("arn:aws:iam::123456789012:role/shared");
        assertThat(options.executionRoles().problems(TestSpecs.shell("etl", "echo hi", SECRET))).containsExactly(
                "etl: secrets.DB_PASSWORD: the owner test-team has no execution role to read its secrets"
                        + " (skiff.fargate.execution-role-arns has none for test-team; the shared role reads no secret)");
        assertThat(options.executionRoles().problems(TestSpecs.shell("etl", "echo hi"))).isEmpty();
    }

    @Test
    void shouldChangeHashWhenOwnersRoleChanges() {
        JobSpec spec = TestSpecs.shell("etl", "echo hi", SECRET);
        String before = TaskDefinitionRenderer.hashOf(new TaskDefinitionRenderer(withTeamRoles("test-team=arn:aws:iam::123456789012:role/a")).render(spec));
        String after = TaskDefinitionRenderer.hashOf(new TaskDefinitionRenderer(withTeamRoles("test-team=arn:aws:iam::123456789012:role/b")).render(spec));
        assertThat(before).isNotEqualTo(after);
    }

    @Test
    void shouldRefuseTeamRoleEntryWhenItIsNotTeamEqualsRoleArn() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExecutionRoles.parseTeamRoles(List.of("team-a")))
                .hasMessageContaining("skiff.fargate.execution-role-arns: team-a must be <team>=<role ARN>");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExecutionRoles.parseTeamRoles(List.of("Team_A=arn:aws:iam::123456789012:role/x")))
                .hasMessageContaining("Team_A");
    }
}
