package dev.skiff.orchestrator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatchRequestTest {

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
}
