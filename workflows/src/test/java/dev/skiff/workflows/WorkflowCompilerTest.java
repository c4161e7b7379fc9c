package dev.skiff.workflows;

import dev.skiff.jobs.JobSpecs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.FailureKind;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkflowCompilerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = """
            name: etl
            owner: data
            image: etl:1
            command: ["run"]
            """;

    static Stream<JobSpec> specs() throws Exception {
        var specs = new ArrayList<JobSpec>();
        for (String name : WorkflowCompilerGoldenTest.cases().toList()) {
            try (var in = WorkflowCompilerTest.class.getResourceAsStream("/cases/" + name + ".yaml")) {
                specs.add(JobSpecs.parse("case.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return specs.stream();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shouldFollowTheAslRulesWhenAnyCaseCompiles(JobSpec spec) throws Exception {
        // Given / When
        JsonNode asl = JSON.readTree(WorkflowCompiler.compile(spec));

        // Then: every transition has a target in its scope, every state is reachable, names are unique and short
        assertThat(AslRules.problems(asl)).as(spec.name()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void shouldKeepRetriersWithinAslLimitsWhenAnyCaseCompiles(JobSpec spec) throws Exception {
        // Given / When
        var tasks = new ArrayList<JsonNode>();
        AslRules.forEachState(JSON.readTree(WorkflowCompiler.compile(spec)), state -> {
            if (state.path("Type").asText().equals("Task")) {
                tasks.add(state);
            }
        });

        // Then
        assertThat(tasks).isNotEmpty();
        for (JsonNode task : tasks) {
            assertThat(task.path("HeartbeatSeconds").asLong()).isLessThan(task.path("TimeoutSeconds").asLong());
            for (JsonNode retrier : task.path("Retry")) {
                assertThat(retrier.path("ErrorEquals").size()).isPositive();
                assertThat(retrier.path("ErrorEquals").toString()).doesNotContain("States.ALL");
                assertThat(retrier.path("MaxAttempts").isInt()).isTrue();
                assertThat(retrier.path("MaxAttempts").asInt()).isBetween(0, 99_999_999);
                if (retrier.has("IntervalSeconds")) {
                    assertThat(retrier.get("IntervalSeconds").isIntegralNumber()).isTrue();
                    assertThat(retrier.get("IntervalSeconds").asLong()).isBetween(1L, 99_999_999L);
                    assertThat(retrier.get("BackoffRate").asDouble()).isGreaterThanOrEqualTo(1.0);
                    assertThat(retrier.get("MaxDelaySeconds").asLong()).isBetween(1L, 31_622_400L);
                }
            }
        }
    }

    @Test
    void shouldFindProblemsWhenADefinitionBreaksTheAslRules() throws Exception {
        // Given: a dangling Next, an unreachable state and a Parallel branch that jumps out of its scope
        JsonNode broken = JSON.readTree("""
                {"StartAt": "a", "States": {
                  "a": {"Type": "Pass", "Next": "nowhere"},
                  "lonely": {"Type": "Succeed"},
                  "p": {"Type": "Parallel", "End": true, "Branches": [
                    {"StartAt": "inner", "States": {"inner": {"Type": "Pass", "Next": "lonely"}}}]}}}""");

        // When
        var problems = AslRules.problems(broken);

        // Then: the checker itself can fail
        assertThat(problems).anyMatch(p -> p.contains("transition to nowhere"))
                .anyMatch(p -> p.contains("state lonely cannot be reached"))
                .anyMatch(p -> p.contains("inner: transition to lonely"));
    }

    @Test
    void shouldUseOptionsWhenGiven() throws Exception {
        // Given
        var options = CompileOptions.defaults()
                .withDispatchQueueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/skiff-dispatch")
                .withHeartbeat(Duration.ofSeconds(60))
                .withLaunchAllowance(Duration.ofSeconds(120));
        var spec = JobSpecs.parse("case.yaml", BASE + "timeout: 30m\n");

        // When
        JsonNode task = JSON.readTree(WorkflowCompiler.compile(spec, options)).path("States").path("main");

        // Then
        assertThat(task.path("Parameters").path("QueueUrl").asText()).endsWith("/skiff-dispatch");
        assertThat(task.path("HeartbeatSeconds").asLong()).isEqualTo(60);
        assertThat(task.path("TimeoutSeconds").asLong()).isEqualTo(1800 + 120);
    }

    @Test
    void shouldEmitNoRetryWhenPolicyRetriesNothing() throws Exception {
        // Given
        var spec = JobSpecs.parse("case.yaml", BASE + "retries:\n  maxAttempts: 3\n  retryOn: []\n");

        // When
        JsonNode task = JSON.readTree(WorkflowCompiler.compile(spec)).path("States").path("main");

        // Then
        assertThat(task.has("Retry")).isFalse();
    }

    @Test
    void shouldGiveEmbeddedEngineSameDelaysWhenRetrierIsCompiled() throws Exception {
        // Given: a tripling back-off that reaches its cap
        var spec = JobSpecs.parse("case.yaml", BASE + "retries:\n  maxAttempts: 4\n  backoff: {interval: 2s, rate: 3, maxDelay: 15s}\n");

        // When
        JsonNode retrier = JSON.readTree(WorkflowCompiler.compile(spec)).path("States").path("main").path("Retry").get(0);

        // Then: Step Functions' delays from the emitted numbers equal RetryDelays' schedule
        var fromAsl = new ArrayList<Duration>();
        for (int n = 1; n <= retrier.get("MaxAttempts").asInt(); n++) {
            double seconds = retrier.get("IntervalSeconds").asLong() * Math.pow(retrier.get("BackoffRate").asDouble(), n - 1);
            fromAsl.add(Duration.ofMillis(Math.round(Math.min(seconds, retrier.get("MaxDelaySeconds").asLong()) * 1000)));
        }
        assertThat(RetryDelays.schedule(spec.retries())).isEqualTo(fromAsl)
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(15));
    }

    @Test
    void shouldReportViolationsWhenHeartbeatIsNotShorterThanTimeout() {
        // Given
        var spec = JobSpecs.parse("case.yaml", BASE + "timeout: 5m\n");
        var options = CompileOptions.defaults().withLaunchAllowance(Duration.ZERO).withHeartbeat(Duration.ofMinutes(5));

        // When
        var violations = WorkflowCompiler.check(spec, options);

        // Then
        assertThat(violations).singleElement().satisfies(v -> assertThat(v.path()).isEqualTo("timeout"));
        assertThatThrownBy(() -> WorkflowCompiler.compile(spec, options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job etl: timeout");
    }

    @Test
    void shouldReportViolationsWhenPolicyBreaksAslLimits() {
        // Given
        var base = JobSpecs.parse("case.yaml", BASE);
        var policy = new RetryPolicy(3, Duration.ofSeconds(1), 0.5, Duration.ofSeconds(10),
                Set.of(FailureKind.EXIT_CODE), Set.of(0, 7));
        var spec = new JobSpec(base.name(), base.description(), base.owner(), base.image(), base.command(),
                base.args(), base.environment(), base.secrets(), base.resources(), base.capacity(), base.timeout(),
                policy, base.parameters(), base.tags(), base.triggers());

        // When
        var paths = WorkflowCompiler.check(spec, CompileOptions.defaults()).stream().map(v -> v.path()).toList();

        // Then
        assertThat(paths).containsExactly("retries.backoffRate", "retries.exitCodes");
    }

    @Test
    void shouldRejectOptionsWhenHeartbeatIsNotWholeSeconds() {
        // Given / When / Then: ASL HeartbeatSeconds is a positive integer
        assertThatThrownBy(() -> CompileOptions.defaults().withHeartbeat(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompileOptions.defaults().withHeartbeat(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompileOptions.defaults().withDispatchQueueUrl(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldChainStepsInDependencyOrderWhenStepsAreDeclaredOutOfOrder() throws Exception {
        // Given: declared out of order
        var spec = JobSpecs.parse("case.yaml", BASE + """
                steps:
                  - name: load
                    dependsOn: [transform]
                  - name: extract
                  - name: transform
                    dependsOn: [extract]
                """);

        // When
        JsonNode asl = JSON.readTree(WorkflowCompiler.compile(spec));

        // Then
        assertThat(asl.path("StartAt").asText()).isEqualTo("extract");
        assertThat(asl.at("/States/extract/Next").asText()).isEqualTo("transform");
        assertThat(asl.at("/States/transform/Next").asText()).isEqualTo("load");
        assertThat(asl.at("/States/load/Next").asText()).isEqualTo("RunSucceeded");
        assertThat(asl.at("/States/load/Parameters/MessageBody/step").asText()).isEqualTo("load");
    }

    @Test
    void shouldRejectWorkflowWhenDependenciesFormACycleOrNameUnknownSteps() {
        // Given / When / Then
        assertThatThrownBy(() -> new Workflow("etl", List.of(
                TestSteps.step("a", "b"), TestSteps.step("b", "a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle");
        assertThatThrownBy(() -> new Workflow("etl", List.of(TestSteps.step("a", "nope"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown step");
        assertThatThrownBy(() -> TestSteps.step("RunFailed")).isInstanceOf(IllegalArgumentException.class);
    }
}
