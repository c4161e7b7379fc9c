package dev.skiff.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.Capacity;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DispatchRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReadTheLaunchRequestWithAOneBasedAttemptWhenTheStateSentItsRetryCount() {
        // Given the body a compiled task state sends on its second attempt
        String body = """
                {"runId": "etl-c-20261126T020000", "job": "etl", "step": "main", "attempt": 1,
                 "parameters": {"DAY": "2026-11-26"}, "taskToken": "AAAA-token"}""";

        // When it is read
        DispatchRequest request = DispatchRequest.parse(body);

        // Then the attempt counts from one, and everything else is as sent
        assertThat(request).isEqualTo(new DispatchRequest("etl-c-20261126T020000", "etl", "main", 2,
                Map.of("DAY", "2026-11-26"), "AAAA-token"));
        // and a message without kind is a launch of no item: what state machines compiled before pipelines send
        assertThat(request.kind()).isEqualTo(DispatchRequest.Kind.LAUNCH);
        assertThat(request.itemIndex()).isEmpty();
        assertThat(request.item()).isEmpty();
    }

    @Test
    void shouldReadAnItemsRequestWhenAForEachStepIsAboutToStart() {
        // Given
        String body = """
                {"kind": "items", "runId": "r1", "job": "etl", "step": "transform", "attempt": 0,
                 "parameters": {}, "taskToken": "T"}""";

        // When
        DispatchRequest request = DispatchRequest.parse(body);

        // Then
        assertThat(request.kind()).isEqualTo(DispatchRequest.Kind.ITEMS);
        assertThat(request.step()).isEqualTo("transform");
        assertThat(request.attempt()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheItemAsJsonTextWhenAnItemsLaunchIsRead() {
        // Given the launch of item 2, an object
        String body = """
                {"runId": "r1", "job": "etl", "step": "transform", "attempt": 0, "parameters": {},
                 "itemIndex": 2, "item": {"name": "p-2", "rows": 10}, "taskToken": "T"}""";

        // When
        DispatchRequest request = DispatchRequest.parse(body);

        // Then
        assertThat(request).isEqualTo(new DispatchRequest(DispatchRequest.Kind.LAUNCH, "r1", "etl", "transform", 1,
                Map.of(), OptionalInt.of(2), Optional.of("{\"name\":\"p-2\",\"rows\":10}"), "T"));
        assertThat(request.toString()).contains("item 2").doesNotContain("T\"");
    }

    @Test
    void shouldNameTheFieldWhenKindOrItemIndexIsWrong() {
        assertThatThrownBy(() -> DispatchRequest.parse("""
                {"kind": "explode", "runId": "r", "job": "j", "step": "s", "attempt": 0, "taskToken": "T"}"""))
                .hasMessage("kind: \"explode\" must be one of launch, items");
        assertThatThrownBy(() -> DispatchRequest.parse("""
                {"runId": "r", "job": "j", "step": "s", "attempt": 0, "itemIndex": -1, "item": 1, "taskToken": "T"}"""))
                .hasMessage("itemIndex: -1 must be the item's index, 0 or more");
        assertThatThrownBy(() -> DispatchRequest.parse("""
                {"runId": "r", "job": "j", "step": "s", "attempt": 0, "itemIndex": 1, "taskToken": "T"}"""))
                .hasMessage("item: required with itemIndex");
    }

    @Test
    void shouldNameTheFieldWhenALaunchRequestIsIncomplete() {
        assertThatThrownBy(() -> DispatchRequest.parse("{\"runId\": \"r\", \"job\": \"j\", \"step\": \"main\", \"attempt\": 0}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("taskToken: required, a non-empty string");
        assertThatThrownBy(() -> DispatchRequest.parse("{\"attempt\": -1}"))
                .hasMessage("attempt: -1 must be the state's retry count, 0 or more");
        assertThatThrownBy(() -> DispatchRequest.parse("{\"attempt\": 0, \"parameters\": [1]}"))
                .hasMessage("parameters: must be an object, got ARRAY");
        assertThatThrownBy(() -> DispatchRequest.parse("not json")).hasMessageStartingWith("the launch request is not JSON");
    }

    @Test
    void shouldReadBackWhatTheCompiledTaskStateSendsWhenItsPathsAreResolved() throws Exception {
        // Given the launch request template of a compiled state machine
        var asl = JSON.readTree(WorkflowCompiler.compile(TestJobs.job(Capacity.SPOT_FIRST, TestJobs.retries(2)),
                CompileOptions.defaults().withDispatchQueueUrl("https://sqs.us-east-1.amazonaws.com/123456789012/dispatch")));
        var template = asl.path("States").path(asl.path("StartAt").asText()).path("Parameters").path("MessageBody");

        // When Step Functions resolves its paths, as it does on the second attempt of a run
        var context = Map.of("$$.Execution.Name", "etl-c-20261126T020000", "$$.State.RetryCount", "1",
                "$$.Task.Token", "AAAA-token");
        var body = JSON.createObjectNode();
        template.fields().forEachRemaining(field -> {
            String name = field.getKey();
            if (!name.endsWith(".$")) {
                body.set(name, field.getValue());
            } else if (field.getValue().asText().equals("$.parameters")) {
                body.putObject(name.substring(0, name.length() - 2)).put("DAY", "2026-11-26");
            } else if (field.getValue().asText().equals("$$.State.RetryCount")) {
                body.put(name.substring(0, name.length() - 2), Integer.parseInt(context.get("$$.State.RetryCount")));
            } else {
                body.put(name.substring(0, name.length() - 2), context.get(field.getValue().asText()));
            }
        });

        // Then the orchestrator reads every field the state wrote
        assertThat(DispatchRequest.parse(body.toString())).isEqualTo(new DispatchRequest("etl-c-20261126T020000", "etl",
                "main", 2, Map.of("DAY", "2026-11-26"), "AAAA-token"));
    }

    @Test
    void shouldReadBackWhatAMapIterationSendsWhenItsPathsAreResolved() throws Exception {
        // Given the launch template inside the ETL case's Map, and the items request before it
        var states = JSON.readTree(WorkflowCompiler.compile(PipelineAslTest.parse("pipelines/etl"))).path("States");
        var processor = states.path("transform").path("ItemProcessor");
        var launch = processor.path("States").path(processor.path("StartAt").asText()).at("/Parameters/MessageBody");
        var items = states.path("transform.items").at("/Parameters/MessageBody");
        var values = Map.<String, com.fasterxml.jackson.databind.JsonNode>of(
                "$$.Execution.Name", JSON.getNodeFactory().textNode("etl-m-1"),
                "$$.State.RetryCount", JSON.getNodeFactory().numberNode(0),
                "$$.Task.Token", JSON.getNodeFactory().textNode("T"),
                "$.parameters", JSON.readTree("{\"RUN_DATE\": \"2026-12-01\"}"),
                "$.index", JSON.getNodeFactory().numberNode(3),
                "$.item", JSON.readTree("{\"name\": \"p-3\"}"));

        // When Step Functions resolves their paths
        DispatchRequest item = DispatchRequest.parse(resolve(launch, values).toString());
        DispatchRequest request = DispatchRequest.parse(resolve(items, values).toString());

        // Then
        assertThat(item).isEqualTo(new DispatchRequest(DispatchRequest.Kind.LAUNCH, "etl-m-1", "etl", "transform", 1,
                Map.of("RUN_DATE", "2026-12-01"), OptionalInt.of(3), Optional.of("{\"name\":\"p-3\"}"), "T"));
        assertThat(request).isEqualTo(new DispatchRequest(DispatchRequest.Kind.ITEMS, "etl-m-1", "etl", "transform", 1,
                Map.of("RUN_DATE", "2026-12-01"), OptionalInt.empty(), Optional.empty(), "T"));
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode resolve(com.fasterxml.jackson.databind.JsonNode template,
            Map<String, com.fasterxml.jackson.databind.JsonNode> values) {
        var body = JSON.createObjectNode();
        template.fields().forEachRemaining(field -> {
            String name = field.getKey();
            if (name.endsWith(".$")) {
                var value = values.get(field.getValue().asText());
                assertThat(value).as("a value for " + field.getValue()).isNotNull();
                body.set(name.substring(0, name.length() - 2), value);
            } else {
                body.set(name, field.getValue());
            }
        });
        return body;
    }
}
