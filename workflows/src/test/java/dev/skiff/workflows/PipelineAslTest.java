package dev.skiff.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.ForEach;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.jobs.StepSpec;
import dev.skiff.jobs.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What the compiled ASL of a pipeline does, state by state. */
class PipelineAslTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldGiveEachStepItsOwnRetryAndTimeoutWhenStepsDiffer() throws Exception {
        // Given / When
        JsonNode states = compile("pipelines/chain").path("States");

        // Then: transform's 2h timeout, load's single attempt, extract's default policy
        assertThat(states.at("/transform/TimeoutSeconds").asLong()).isEqualTo(7200 + 600);
        assertThat(states.at("/extract/TimeoutSeconds").asLong()).isEqualTo(3600 + 600);
        assertThat(states.path("load").has("Retry")).isFalse();
        assertThat(states.at("/extract/Retry/0/MaxAttempts").asInt()).isEqualTo(1);
    }

    @Test
    void shouldRetryALostHeartbeatUnderBothNamesWhenAPipelineStepRetriesLostTasks() throws Exception {
        // Given / When: moto reports a lost heartbeat as States.Timeout, AWS as States.HeartbeatTimeout
        JsonNode asl = compile("pipelines/chain");

        // Then
        assertThat(names(asl.at("/States/extract/Retry/0/ErrorEquals")))
                .contains("Skiff.Lost", "States.HeartbeatTimeout", "States.Timeout");
    }

    @Test
    void shouldRetryALostHeartbeatUnderBothNamesWhenAnyExitCodeIsRetried() throws Exception {
        // Given: c retries any exit code and lost tasks but not timeouts
        JsonNode c = findState(compile("pipelines/diamond"), "c");

        // Then: States.Timeout is not in the never-retried retrier, which would win over the one that retries it
        assertThat(names(c.at("/Retry/0/ErrorEquals"))).doesNotContain("States.Timeout").contains("Skiff.Timeout");
        assertThat(names(c.at("/Retry/1/ErrorEquals")))
                .contains("States.TaskFailed", "States.HeartbeatTimeout", "States.Timeout");
    }

    @Test
    void shouldRunIndependentStepsInAParallelThatCarriesTheFailedStepsErrorWhenTheGraphIsADiamond() throws Exception {
        // Given / When
        JsonNode asl = compile("pipelines/diamond");
        JsonNode states = asl.path("States");

        // Then: a, then b and c at once, then d
        assertThat(asl.path("StartAt").asText()).isEqualTo("a");
        assertThat(states.at("/a/Next").asText()).isEqualTo("Parallel 1");
        JsonNode parallel = states.path("Parallel 1");
        assertThat(parallel.path("Type").asText()).isEqualTo("Parallel");
        assertThat(parallel.path("ResultPath").isNull()).isTrue();
        assertThat(parallel.path("Next").asText()).isEqualTo("d");
        assertThat(parallel.at("/Branches/0/StartAt").asText()).isEqualTo("b");
        assertThat(parallel.at("/Branches/1/StartAt").asText()).isEqualTo("c");
        // A branch's step has no Catch: its error fails the branch, and the Parallel's Catch keeps it in $.error,
        // where RunFailed reads the step's own error and cause.
        assertThat(parallel.at("/Branches/0/States/b").has("Catch")).isFalse();
        assertThat(parallel.at("/Branches/0/States/b/End").asBoolean()).isTrue();
        assertThat(parallel.at("/Catch/0/ErrorEquals/0").asText()).isEqualTo("States.ALL");
        assertThat(parallel.at("/Catch/0/ResultPath").asText()).isEqualTo("$.error");
        assertThat(parallel.at("/Catch/0/Next").asText()).isEqualTo("RunFailed");
        assertThat(states.at("/RunFailed/ErrorPath").asText()).isEqualTo("$.error.Error");
    }

    @Test
    void shouldCompileInLevelsWhenTheGraphIsNotSeriesParallel() throws Exception {
        // Given / When
        JsonNode states = compile("pipelines/not-series-parallel").path("States");

        // Then
        assertThat(states.at("/Level 1/Branches/0/StartAt").asText()).isEqualTo("a");
        assertThat(states.at("/Level 1/Branches/1/StartAt").asText()).isEqualTo("b");
        assertThat(states.at("/Level 1/Next").asText()).isEqualTo("Level 2");
        assertThat(states.at("/Level 2/Branches/0/StartAt").asText()).isEqualTo("c");
        assertThat(states.at("/Level 2/Branches/1/StartAt").asText()).isEqualTo("d");
        assertThat(states.at("/Level 2/Next").asText()).isEqualTo("RunSucceeded");
    }

    @Test
    void shouldAskForItemsThenMapThemAndCountFailuresWhenAStepRunsForEachItem() throws Exception {
        // Given / When
        JsonNode states = compile("pipelines/fan-out-tolerated").path("States");

        // Then: the items request
        JsonNode items = states.path("convert.items");
        assertThat(items.at("/Parameters/MessageBody/kind").asText()).isEqualTo("items");
        assertThat(items.at("/Parameters/MessageBody/step").asText()).isEqualTo("convert");
        assertThat(items.path("ResultPath").asText()).isEqualTo("$.fanOut");
        assertThat(items.path("Next").asText()).isEqualTo("convert");
        // the inline Map over them, each iteration's launch carrying its item and index
        JsonNode map = states.path("convert");
        assertThat(map.path("Type").asText()).isEqualTo("Map");
        assertThat(map.path("ItemsPath").asText()).isEqualTo("$.fanOut.items");
        assertThat(map.path("MaxConcurrency").asInt()).isEqualTo(3);
        assertThat(map.at("/ItemProcessor/ProcessorConfig/Mode").asText()).isEqualTo("INLINE");
        assertThat(map.at("/ItemSelector/item.$").asText()).isEqualTo("$$.Map.Item.Value");
        assertThat(map.at("/ItemSelector/index.$").asText()).isEqualTo("$$.Map.Item.Index");
        assertThat(map.at("/ItemSelector/parameters.$").asText()).isEqualTo("$.parameters");
        JsonNode processor = map.path("ItemProcessor");
        JsonNode task = processor.path("States").path(processor.path("StartAt").asText());
        assertThat(task.at("/Parameters/MessageBody/itemIndex.$").asText()).isEqualTo("$.index");
        assertThat(task.at("/Parameters/MessageBody/item.$").asText()).isEqualTo("$.item");
        assertThat(task.at("/Parameters/MessageBody").has("kind")).isFalse();
        // each iteration ends with failed 0 or 1, and the Choice compares their sum with the tolerance
        assertThat(processor.at("/States/" + task.at("/Catch/0/Next").asText() + "/Result/failed").asInt()).isEqualTo(1);
        assertThat(processor.at("/States/" + task.path("Next").asText() + "/Result/failed").asInt()).isEqualTo(0);
        assertThat(map.at("/ResultSelector/failed.$").asText()).contains("States.JsonToString($)");
        JsonNode choice = states.path(map.path("Next").asText());
        assertThat(choice.at("/Choices/0/NumericGreaterThanPath").asText()).isEqualTo("$.fanOut.maxFailures");
        JsonNode tooMany = states.path(choice.at("/Choices/0/Next").asText());
        assertThat(tooMany.path("Type").asText()).isEqualTo("Fail");
        assertThat(tooMany.path("Error").asText()).isEqualTo("Skiff.TooManyFailedItems");
        assertThat(choice.path("Default").asText()).isEqualTo("RunSucceeded");
    }

    @Test
    void shouldFailFastWithTheItemsOwnErrorWhenNoFailureIsTolerated() throws Exception {
        // Given / When
        JsonNode states = compile("pipelines/fan-out-fail-fast").path("States");

        // Then: no counting; the Map's Catch keeps the failed item's error for RunFailed
        JsonNode map = states.path("shard");
        JsonNode processor = map.path("ItemProcessor");
        assertThat(processor.path("States").size()).isEqualTo(1);
        assertThat(processor.at("/States/shard.item").has("Catch")).isFalse();
        assertThat(processor.at("/States/shard.item/Retry/1/MaxAttempts").asInt()).isEqualTo(2);
        assertThat(map.path("ResultPath").isNull()).isTrue();
        assertThat(map.at("/Catch/0/Next").asText()).isEqualTo("RunFailed");
        assertThat(map.path("Next").asText()).isEqualTo("RunSucceeded");
    }

    @Test
    void shouldNameTheStepWhenAStepBreaksAnAslLimit() {
        // Given: a step whose timeout is not longer than the heartbeat
        var spec = parse("pipelines/chain");
        var options = CompileOptions.defaults().withLaunchAllowance(Duration.ZERO).withHeartbeat(Duration.ofHours(2));

        // When
        List<Violation> violations = WorkflowCompiler.check(spec, options);

        // Then: extract and load (1h) and transform (2h) each, by their own path
        assertThat(violations).extracting(Violation::path)
                .containsExactly("steps[0].timeout", "steps[1].timeout", "steps[2].timeout");
    }

    @Test
    void shouldRefuseAMapConcurrencyAslCannotTakeWhenAStepHasOne() {
        // Given: a concurrency of 0 (unlimited on AWS, which the spec never means)
        var spec = withSteps(parse("pipelines/fan-out-tolerated"), step -> new StepSpec(step.name(), step.dependsOn(),
                step.image(), step.command(), step.args(), step.environment(), step.secrets(), step.resources(),
                step.capacity(), step.timeout(), step.retries(), step.parameters(),
                step.forEach().map(f -> new ForEach(f.items(), f.list(), 0, f.tolerated()))));

        // When
        List<Violation> violations = WorkflowCompiler.check(spec, CompileOptions.defaults());

        // Then
        assertThat(violations).extracting(Violation::path).containsExactly("steps[0].forEach.maxConcurrency");
    }

    @Test
    void shouldRefuseStateNamesLongerThanAslTakesWhenADefinitionHasThem() throws Exception {
        // Given: a name of 81 characters in a Parallel branch
        var definition = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree("""
                {"StartAt": "p", "States": {"p": {"Type": "Parallel", "End": true, "Branches": [
                  {"StartAt": "%s", "States": {"%s": {"Type": "Succeed"}}}]}}}""".formatted("n".repeat(81), "n".repeat(81)));

        // When
        List<Violation> violations = AslLimits.definitionViolations("job x", definition);

        // Then
        assertThat(violations).singleElement().satisfies(v -> assertThat(v.path()).isEqualTo("steps"));
    }

    @Test
    void shouldStayWithinTheDefinitionQuotaWhenAJobHasTheMostSteps() {
        // Given 100 steps (the spec's most), each a tolerant fan-out, half of them side by side
        var yaml = new StringBuilder("name: big\nowner: data\nimage: img:1\ncommand: [\"run\"]\nsteps:\n");
        for (int i = 0; i < 100; i++) {
            yaml.append("  - name: step-with-a-long-name-").append(i).append('\n');
            if (i % 2 == 1) {
                yaml.append("    dependsOn: [step-with-a-long-name-").append(i - 1).append("]\n");
            }
            yaml.append("    forEach:\n      list: s3://bucket/p/\n      toleratedFailures: 1\n");
        }
        var spec = JobSpecs.parse("big.yaml", yaml.toString());

        // When
        String definition = WorkflowCompiler.compile(spec);

        // Then
        assertThat(WorkflowCompiler.check(spec, CompileOptions.defaults())).isEmpty();
        assertThat(definition.getBytes(StandardCharsets.UTF_8).length).isLessThan(AslLimits.MAX_DEFINITION_BYTES);
    }

    @Test
    void shouldRefuseADefinitionLargerThanTheQuotaWhenOneIsChecked() throws Exception {
        // Given a definition of more than 1 MiB
        var definition = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                "{\"StartAt\": \"a\", \"States\": {\"a\": {\"Type\": \"Succeed\"}}}");
        definition.put("Comment", "x".repeat(AslLimits.MAX_DEFINITION_BYTES));

        // When / Then
        assertThat(AslLimits.definitionViolations("job x", definition)).singleElement()
                .satisfies(v -> assertThat(v.rule()).contains("Step Functions' definition quota"));
    }

    private static JobSpec withSteps(JobSpec spec, UnaryOperator<StepSpec> change) {
        var steps = new ArrayList<StepSpec>();
        spec.steps().forEach(step -> steps.add(change.apply(step)));
        return new JobSpec(spec.name(), spec.description(), spec.owner(), spec.image(), spec.command(), spec.args(),
                spec.environment(), spec.secrets(), spec.resources(), spec.capacity(), spec.timeout(), spec.retries(),
                spec.parameters(), spec.tags(), spec.triggers(), steps);
    }

    private static List<String> names(JsonNode array) {
        var names = new ArrayList<String>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static JsonNode findState(JsonNode asl, String name) {
        var found = new ArrayList<JsonNode>();
        findIn(asl, name, found);
        assertThat(found).as("state " + name).hasSize(1);
        return found.get(0);
    }

    private static void findIn(JsonNode machine, String name, List<JsonNode> found) {
        machine.path("States").fields().forEachRemaining(entry -> {
            if (entry.getKey().equals(name)) {
                found.add(entry.getValue());
            }
            entry.getValue().path("Branches").forEach(branch -> findIn(branch, name, found));
            if (entry.getValue().has("ItemProcessor")) {
                findIn(entry.getValue().get("ItemProcessor"), name, found);
            }
        });
    }

    static JobSpec parse(String name) {
        try (var in = PipelineAslTest.class.getResourceAsStream("/cases/" + name + ".yaml")) {
            return JobSpecs.parse(name + ".yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode compile(String name) throws Exception {
        return JSON.readTree(WorkflowCompiler.compile(parse(name)));
    }
}
