package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MotoServerTest {

    @Test
    void shouldServeAnAwsApiOnLoopbackWhenStarted() throws Exception {
        // Given the shared emulator
        MotoServer moto = MotoServer.shared();
        moto.reset();

        // When an SQS query-protocol call creates a queue, and another lists the queues
        var http = HttpClient.newHttpClient();
        URI endpoint = moto.endpoint();
        var create = http.send(query(endpoint, "Action=CreateQueue&QueueName=smoke&Version=2012-11-05"),
                HttpResponse.BodyHandlers.ofString());
        var list = http.send(query(endpoint, "Action=ListQueues&Version=2012-11-05"), HttpResponse.BodyHandlers.ofString());

        // Then it answers on 127.0.0.1 and knows the queue
        assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
        assertThat(create.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("/smoke");
    }

    /** An SQS query-protocol request, as the AWS CLI sends it (moto reads the region from the credential scope). */
    private static HttpRequest query(URI endpoint, String form) {
        return HttpRequest.newBuilder(endpoint.resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/sqs/aws4_request")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }
}
