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
    void shouldRenderArchitectureAndEphemeralStorageOfTheSpec() {
        // Given a job on ARM64 with 120 GiB of storage, and one with the defaults
        JobSpec arm = TestSpecs.shell("etl", "echo hi", "resources: {cpu: 1024, memory: 2048, architecture: ARM64, ephemeralStorage: 120}");
        JobSpec plain = TestSpecs.shell("etl", "echo hi");

        // When
        var armRequest = renderer.render(arm);
        var plainRequest = renderer.render(plain);

        // Then the runtime platform and storage are the spec's (Fargate's default is X86_64 and 20 GiB)
        assertThat(armRequest.runtimePlatform().cpuArchitectureAsString()).isEqualTo("ARM64");
        assertThat(armRequest.runtimePlatform().operatingSystemFamilyAsString()).isEqualTo("LINUX");
        assertThat(armRequest.ephemeralStorage().sizeInGiB()).isEqualTo(120);
        assertThat(plainRequest.runtimePlatform().cpuArchitectureAsString()).isEqualTo("X86_64");
        assertThat(plainRequest.ephemeralStorage().sizeInGiB()).isEqualTo(21);
        assertThat(hash(arm)).isNotEqualTo(hash(plain));
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
    void shouldRunTasksAsTheOwnersTaskRoleWhenTheTeamHasOneElseTheSharedOne() {
        // Given a shared task role and test-team's own (skiff.fargate.task-role-arns)
        var options = FargateOptions.of("skiff", List.of("subnet-1"), "us-east-1").withRoles(java.util.Optional.of("arn:aws:iam::123456789012:role/shared-task"),
                java.util.Optional.empty()).withTeamTaskRoles(ExecutionRoles.parseTeamRoles(
                List.of("test-team=arn:aws:iam::123456789012:role/test-team-task"), "skiff.fargate.task-role-arns"));

        // When / Then: test-team's job runs as its team's role, another team's as the shared one
        assertThat(new TaskDefinitionRenderer(options).render(TestSpecs.shell("etl", "echo hi")).taskRoleArn())
                .isEqualTo("arn:aws:iam::123456789012:role/test-team-task");
        JobSpec other = dev.skiff.jobs.JobSpecs.parse("o.yaml", "name: o\nowner: other-team\nimage: x:1\ncommand: [run]\n");
        assertThat(new TaskDefinitionRenderer(options).render(other).taskRoleArn())
                .isEqualTo("arn:aws:iam::123456789012:role/shared-task");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExecutionRoles.parseTeamRoles(List.of("x"),
                "skiff.fargate.task-role-arns")).hasMessageContaining("skiff.fargate.task-role-arns: x must be");
    }

    @Test
    void shouldRenderEachPipelineStepInAFamilyOfItsOwnWithItsOwnContainer() {
        // Given a pipeline whose second step has its own image and resources
        JobSpec job = TestSpecs.shell("etl", "echo hi", """
                steps:
                  - name: extract
                  - name: transform
                    dependsOn: [extract]
                    image: example/transform:2
                    resources: {cpu: 1024, memory: 4096}
                """);
        var renderer = new TaskDefinitionRenderer(FargateOptions.of("skiff", List.of("subnet-1"), "us-east-1"));

        // When each step is rendered
        var extract = renderer.render(job, "extract");
        var transform = renderer.render(job, "transform");

        // Then each has its family skiff-<job>_<step> and its step's container; a single-step job keeps skiff-<job>
        assertThat(extract.family()).isEqualTo("skiff-etl_extract");
        assertThat(transform.family()).isEqualTo("skiff-etl_transform");
        assertThat(extract.containerDefinitions().get(0).image()).isEqualTo("example/test:1");
        assertThat(transform.containerDefinitions().get(0).image()).isEqualTo("example/transform:2");
        assertThat(transform.cpu()).isEqualTo("1024");
        assertThat(transform.memory()).isEqualTo("4096");
        assertThat(transform.tags()).anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("skiff:step=transform"));
        assertThat(TaskDefinitionRenderer.hashOf(extract)).isNotEqualTo(TaskDefinitionRenderer.hashOf(transform));
        assertThat(renderer.render(TestSpecs.shell("etl", "echo hi"), "main").family()).isEqualTo("skiff-etl");
    }

    @Test
    void shouldRefuseAPipelineWhoseStepHasSecretsWhenItsOwnerHasNoExecutionRole() {
        // Given no role for test-team, and a pipeline whose second step alone names a secret
        var options = withTeamRoles("other-team=arn:aws:iam::123456789012:role/other");
        JobSpec job = TestSpecs.shell("etl", "echo hi", """
                steps:
                  - name: extract
                  - name: load
                    dependsOn: [extract]
                    secrets: {DB_PASSWORD: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:skiff/test-team/db-AbCdEf'}
                """);

        // When / Then: the job is refused when applied, naming the step's secret, and the step is never rendered
        // with the shared role (which reads no secret)
        assertThat(options.executionRoles().problems(job)).containsExactly(
                "etl: steps.load.secrets.DB_PASSWORD: the owner test-team has no execution role to read its secrets"
                        + " (skiff.fargate.execution-role-arns has none for test-team; the shared role reads no secret)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TaskDefinitionRenderer(options).render(job, "load"))
                .hasMessageContaining("steps.load.secrets.DB_PASSWORD");
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
