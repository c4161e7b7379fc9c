package dev.skiff.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.Capacity;
import java.util.Map;
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
}
