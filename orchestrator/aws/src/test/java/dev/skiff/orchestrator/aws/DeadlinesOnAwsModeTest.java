package dev.skiff.orchestrator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.eventbridge.EventBridgeRunEventSink;
import dev.skiff.orchestrator.adapter.s3.S3EventMarks;
import dev.skiff.orchestrator.adapter.s3.S3Watermarks;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.app.DeadlineWatch;
import dev.skiff.orchestrator.app.InMemoryPausedSchedules;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.PublishedDeadlines;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Deadlines in Step Functions mode, through the real parts on moto: the watch reads the fire's run from Step Functions,
 * puts Run Deadline Missed on Skiff's bus (whose rule the test reads through a queue), hands it to the listeners, and
 * keeps what it announced and how far it got beside the specs in S3, so a restarted watch — or another replica —
 * announces nothing twice and goes on from there.
 */
class DeadlinesOnAwsModeTest {

    private static final Instant T10 = Instant.parse("2026-03-10T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsMode aws = new AwsMode();
    private final EventBridgeClient events = MotoStepFunctions.eventBridge();
    private final String bus = "skiff-" + MotoStepFunctions.jobName("deadlines");
    private final String queue = aws.sqs.createQueue(r -> r.queueName(MotoStepFunctions.jobName("bus-out"))).queueUrl();
    private final SettableClock clock = new SettableClock(T10.minusSeconds(30));
    private final JobCatalog catalog = new JobCatalog();
    private final List<JsonNode> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        events.close();
        aws.close();
    }

    @Test
    void shouldAnnounceAFireThatNeverRanOnceOnTheBusAndGoOnAfterARestart() throws Exception {
        // Given Skiff's bus delivering to a queue, and an hourly job with a 30-minute deadline whose 10:00 fire never ran
        events.createEventBus(r -> r.name(bus));
        events.putRule(r -> r.name("all").eventBusName(bus).eventPattern("{\"source\": [\"skiff.runs\"]}"));
        String arn = aws.sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.putTargets(r -> r.rule("all").eventBusName(bus).targets(t -> t.id("q").arn(arn)));
        JobSpec hourly = aws.register(TestSpecs.shell(MotoStepFunctions.jobName("hourly"), "true", """
                triggers:
                  schedules:
                    - cron: "0 * * * *"
                      deadline: 30m"""));
        catalog.replace(List.of(new RegisteredJob(hourly, hourly.name() + ".yaml")), List.of());

        // When a watch checks at 09:59:30 and at 10:31, and a restarted one at 10:45
        watch().tick(clock.instant());
        clock.set(T10.plus(Duration.ofMinutes(31)));
        watch().tick(clock.instant());
        clock.set(T10.plus(Duration.ofMinutes(45)));
        watch().tick(clock.instant());

        // Then the bus carried one Run Deadline Missed for the 10:00 fire, and the listeners heard it once
        List<JsonNode> delivered = drain();
        assertThat(delivered).singleElement().satisfies(event -> {
            assertThat(event.path("detail-type").asText()).isEqualTo("Run Deadline Missed");
            assertThat(event.path("detail").path("runId").asText()).isEqualTo(hourly.name() + "-c-20260310T100000");
            assertThat(event.path("detail").path("status").asText()).isEqualTo("NOT_STARTED");
        });
        assertThat(heard).hasSize(1);
    }

    /** A watch as a (re)started replica builds it: its state only in S3. */
    private DeadlineWatch watch() {
        var marks = new S3EventMarks(aws.s3, aws.jobsLocation);
        var published = new PublishedDeadlines(new EventBridgeRunEventSink(events, bus), List.of(heard::add), marks);
        return new DeadlineWatch(catalog, aws.engine, new InMemoryPausedSchedules(), published,
                new S3Watermarks(aws.s3, aws.jobsLocation), clock, Duration.ofDays(1));
    }

    private List<JsonNode> drain() throws Exception {
        List<JsonNode> delivered = new ArrayList<>();
        for (int empty = 0; empty < 2; ) {
            List<Message> messages = aws.sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10))
                    .messages();
            if (messages.isEmpty()) {
                empty++;
            }
            for (Message m : messages) {
                delivered.add(JSON.readTree(m.body()));
                aws.sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
        }
        return delivered;
    }
}
