package dev.skiff.orchestrator.adapter.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class SqsEventBodiesTest {

    private final SqsEventBodies bodies = new SqsEventBodies(new ObjectMapper());

    private static Message message(String body) {
        return Message.builder().messageId("6f1c0e2a-sqs-id").receiptHandle("handle").body(body).build();
    }

    @Test
    void shouldPassAnEventAsReadWhenItHasAnId() {
        // Given an event as EventBridge delivers it
        String body = "{\"id\": \"evt-1\", \"source\": \"aws.s3\", \"detail-type\": \"Object Created\"}";

        // When / Then its id is its own
        assertThat(bodies.forIntake(message(body)).get("id").asText()).isEqualTo("evt-1");
    }

    @Test
    void shouldUseTheSqsMessageIdWhenTheEventHasNone() {
        // Given an event sent by hand, without an id
        String body = "{\"source\": \"aws.s3\", \"detail-type\": \"Object Created\", \"id\": null}";

        // When / Then every delivery of this message carries the same id
        assertThat(bodies.forIntake(message(body)).get("id").asText()).isEqualTo("6f1c0e2a-sqs-id");
    }

    @Test
    void shouldRefuseABodyThatIsNotJsonWithTheParsersReasonAndPassOtherJson() {
        assertThatThrownBy(() -> bodies.forIntake(message("not json")))
                .isInstanceOf(MalformedRequestException.class).hasMessageStartingWith("the body is not JSON");
        assertThat(bodies.forIntake(message("[1, 2]")).isArray()).isTrue();
    }

    @Test
    void shouldRefuseAPutEventsRequestWhenItArrivesThroughSqs() {
        // Given a batch, whose entries would get new ids on every delivery / When / Then
        assertThatThrownBy(() -> bodies.forIntake(message("{\"Entries\": []}")))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining("must hold one EventBridge event");
    }
}
