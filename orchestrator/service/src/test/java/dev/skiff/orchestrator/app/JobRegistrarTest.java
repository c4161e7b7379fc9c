package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.ecs.ExecutionRoles;
import dev.skiff.orchestrator.adapter.local.DirectoryJobSource;
import dev.skiff.orchestrator.domain.ForbiddenException;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.orchestrator.port.TaskRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applying and deleting jobs through the registrar, on a directory registry, with two teams. */
class JobRegistrarTest {

    private static final Caller ANALYTICS = Caller.team("analytics");
    private static final Caller BILLING = Caller.team("billing");

    @TempDir
    Path dir;

    private final JobCatalog catalog = new JobCatalog();
    private JobRegistrar registrar;

    @BeforeEach
    void createRegistrar() {
        var registry = new DirectoryJobSource(dir, catalog);
        registry.reload();
        var authorizer = TeamAuthorizer.apiKeys(Map.of(TeamAuthorizer.sha256Hex("a"), "analytics"));
        registrar = new JobRegistrar(registry, catalog, authorizer, new FargateRolesOnly(
                new ExecutionRoles(Optional.empty(), Map.of("billing", "arn:aws:iam::123456789012:role/billing"))));
    }

    /** Answers only what a Fargate launcher with these execution roles says about a spec. */
    private record FargateRolesOnly(ExecutionRoles roles) implements TaskLauncher {
        @Override
        public List<String> problemsWith(JobSpec job) {
            return roles.problems(job);
        }

        @Override
        public LaunchedTask launch(TaskRequest request, TaskListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reattach(TaskRequest request, LaunchedTask task, TaskListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stop(LaunchedTask task, String reason) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void shouldRefuseAndWriteNothingWhenOwnerHasNoExecutionRoleForItsSecrets() {
        // Given analytics, which has no execution role of its own, naming its own secret
        String withSecret = spec("etl", "analytics", "example/etl:1")
                + "secrets: {DB_PASSWORD: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:skiff/analytics/db-AbCdEf'}\n";

        // When / Then: refused at apply, naming the job, the key and the owner
        assertThatThrownBy(() -> registrar.apply(ANALYTICS, "etl", withSecret))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems()).containsExactly(
                        "etl: secrets.DB_PASSWORD: the owner analytics has no execution role to read its secrets"
                                + " (skiff.fargate.execution-role-arns has none for analytics; the shared role reads no secret)"));
        assertThat(catalog.find("etl")).isEmpty();
        // and without secrets the same job is taken
        assertThat(registrar.apply(ANALYTICS, "etl", spec("etl", "analytics", "example/etl:1")).created()).isTrue();
    }

    private static String spec(String name, String owner, String image) {
        return """
                name: %s
                owner: %s
                image: %s
                command: ["true"]
                """.formatted(name, owner, image);
    }

    @Test
    void shouldSayCreatedThenReplacedWhenTheSameJobIsAppliedTwice() {
        // Given / When
        var first = registrar.apply(ANALYTICS, "etl", spec("etl", "analytics", "example/etl:1"));
        var second = registrar.apply(ANALYTICS, "etl", spec("etl", "analytics", "example/etl:2"));

        // Then
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.job().spec().image()).isEqualTo("example/etl:2");
        assertThat(catalog.find("etl")).hasValueSatisfying(s -> assertThat(s.image()).isEqualTo("example/etl:2"));
    }

    @Test
    void shouldListEveryProblemAndWriteNothingWhenTheSpecIsInvalid() {
        // Given / When / Then
        assertThatThrownBy(() -> registrar.apply(ANALYTICS, "etl", spec("etl", "analytics", "example/etl:1")
                + "timeout: 3 hours\nresources: {cpu: 1024, memory: 16384}\n"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems())
                        .hasSize(2)
                        .anySatisfy(p -> assertThat(p).startsWith("etl: timeout: 3 hours"))
                        .anySatisfy(p -> assertThat(p).contains("resources.memory: 16384")));
        assertThat(dir.resolve("etl.yaml")).doesNotExist();
    }

    @Test
    void shouldRefuseWhenTheSpecNamesAnotherJobThanThePath() {
        // Given / When / Then
        assertThatThrownBy(() -> registrar.apply(ANALYTICS, "etl", spec("other", "analytics", "x/y:1")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems())
                        .containsExactly("etl: name: other must equal the job name in the path, etl"));
    }

    @Test
    void shouldRefuseWhenATeamAppliesForAnotherTeamOrTakesOverItsJob() {
        // Given billing's job
        registrar.apply(BILLING, "invoices", spec("invoices", "billing", "example/invoices:1"));

        // When / Then analytics may neither replace it nor put a spec owned by billing
        assertThatThrownBy(() -> registrar.apply(ANALYTICS, "invoices", spec("invoices", "analytics", "x/y:1")))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> registrar.apply(ANALYTICS, "more", spec("more", "billing", "x/y:1")))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> registrar.delete(ANALYTICS, "invoices")).isInstanceOf(ForbiddenException.class);
        assertThat(catalog.find("invoices")).hasValueSatisfying(s -> assertThat(s.image()).isEqualTo("example/invoices:1"));
    }

    @Test
    void shouldRemoveTheJobWhenItsTeamDeletesItAndAnswerNotFoundAfter() {
        // Given
        registrar.apply(ANALYTICS, "etl", spec("etl", "analytics", "example/etl:1"));

        // When
        registrar.delete(ANALYTICS, "etl");

        // Then
        assertThat(catalog.find("etl")).isEmpty();
        assertThatThrownBy(() -> registrar.delete(ANALYTICS, "etl")).isInstanceOf(NotFoundException.class);
    }
}
