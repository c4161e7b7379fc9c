package dev.skiff.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.domain.UpstreamFailedException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a caller reads when AWS failed a call their request needed: not a 500, which says Skiff itself is broken. */
@SuppressWarnings("unchecked") // the entity is the problem document ProblemMapper.body built
class ProblemMapperTest {

    private final ProblemMapper mapper = new ProblemMapper();

    @Test
    void shouldAnswer503WithRetryAfterWhenAwsFailedACallThatMayPassLater() {
        Response answer = mapper.toResponse(new UpstreamFailedException("job etl: run etl-1 was not started: Rate exceeded",
                true, new RuntimeException()));

        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(answer.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(answer.getMediaType().toString()).isEqualTo(ProblemMapper.PROBLEM_JSON);
        assertThat((Map<String, Object>) answer.getEntity()).containsEntry("detail", "job etl: run etl-1 was not started: Rate exceeded");
    }

    @Test
    void shouldAnswer502WhenAwsRefusedTheCallSoWaitingWillNotHelp() {
        Response answer = mapper.toResponse(new UpstreamFailedException(
                "job etl: its state machine skiff-etl could not be created: not authorized", false, new RuntimeException()));

        assertThat(answer.getStatus()).isEqualTo(502);
        assertThat(answer.getHeaderString("Retry-After")).isNull();
        assertThat((Map<String, Object>) answer.getEntity()).containsEntry("title", "Bad Gateway")
                .containsEntry("detail", "job etl: its state machine skiff-etl could not be created: not authorized");
    }
}
