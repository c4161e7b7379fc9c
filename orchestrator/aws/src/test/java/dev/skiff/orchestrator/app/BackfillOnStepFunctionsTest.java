package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.s3.MotoS3;
import dev.skiff.orchestrator.adapter.s3.S3Backfills;
import dev.skiff.orchestrator.adapter.s3.S3Location;
import dev.skiff.orchestrator.adapter.sfn.CancelledExecutions;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.adapter.sfn.StateMachineOptions;
import dev.skiff.orchestrator.adapter.sfn.StateMachines;
import dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine;
import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.workflows.StepOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A backfill in AWS mode on moto: the record in S3 beside the specs, the runs as Step Functions executions. One
 * replica drives it halfway and dies; another, built from nothing but the S3 record and the executions, finishes it.
 * The test plays the dispatch consumer: it answers every launch request's task token with success.
 */
class BackfillOnStepFunctionsTest {

    private static final TaskReport TASK = new TaskReport("arn:aws:ecs:us-east-1:123456789012:task/skiff/backfill",
            "spot", java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty());

    private static final Duration LISTENING_WITHIN = Duration.ofSeconds(30);

    private final SfnClient sfn = MotoStepFunctions.sfn();
    private final SqsClient sqs = MotoStepFunctions.sqs();
    private final S3Client s3 = MotoS3.client();
    private final String queue = MotoStepFunctions.dispatchQueue(sqs);
    private final S3Location registry = S3Location.parse("s3://" + MotoS3.createBucket(s3) + "/jobs/");
    private final JobCatalog catalog = new JobCatalog();
    private final StateMachines machines = new StateMachines(sfn, StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, queue));
    private final StepFunctionsRunEngine engine = new StepFunctionsRunEngine(sfn, machines, CancelledExecutions.NONE,
            catalog::find, MotoStepFunctions.taskRecords(), Clock.systemUTC());
    private int mostRunning;

    /** One orchestrator replica's backfill parts, built from nothing but S3 and the engine. */
    private record Replica(BackfillService service, BackfillDriver driver) {
    }

    @AfterEach
    void close() {
        sfn.close();
        sqs.close();
        s3.close();
    }

    private Replica replica() {
        var backfills = new S3Backfills(s3, registry);
        var progress = new BackfillProgress(engine);
        var driver = new BackfillDriver(backfills, progress, catalog, new RunDispatcher(catalog, engine), Duration.ZERO);
        return new Replica(new BackfillService(backfills, catalog, progress, engine, Clock.systemUTC(), driver::wake), driver);
    }

    private List<ExecutionListItem> executions(String job, ExecutionStatus status) {
        String machine = machines.arnOf(job).orElseThrow();
        return sfn.listExecutionsPaginator(r -> {
            r.stateMachineArn(machine);
            if (status != null) {
                r.statusFilter(status);
            }
        }).executions().stream().toList();
    }

    /** The replica ticks, then every launch request waiting is answered with success; returns how many were. */
    private int round(Replica replica, String job) throws Exception {
        replica.driver().tick(Instant.now());
        mostRunning = Math.max(mostRunning, executions(job, ExecutionStatus.RUNNING).size());
        int answered = 0;
        List<Message> messages;
        do {
            messages = sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10)).messages();
            for (Message m : messages) {
                sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle()));
                JsonNode request = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.body());
                String token = request.path("taskToken").asText();
                String runId = request.path("runId").asText();
                MotoStepFunctions.answer(sfn, token, new StepOutcome.Succeeded(), TASK,
                        () -> !engine.get(runId).orElseThrow().status().isTerminal(), LISTENING_WITHIN);
                answered++;
            }
        } while (!messages.isEmpty());
        return answered;
    }

    @Test
    void shouldEndWithThirtyExecutionsAndNoDuplicateWhenTheReplicaDrivingItDiesHalfway() throws Exception {
        // Given a daily job and a backfill of 30 days of it, three at a time, kept in S3
        JobSpec job = TestSpecs.shell(MotoStepFunctions.jobName("backfill"), "true", """
                triggers:
                  schedules:
                    - cron: "0 3 * * *"
                      timezone: UTC""");
        catalog.replace(List.of(new RegisteredJob(job, job.name() + ".yaml")), List.of());
        machines.register(job);
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(40);
        Replica first = replica();
        var request = new BackfillService.Request(start.toString(), start.plusDays(30).toString(), 0, 3, true);
        Backfill backfill = first.service().create(job, request).status().backfill();

        // When the first replica drives it until 15 runs exist, and dies (its memory goes with it)
        for (int i = 0; i < 100 && executions(job.name(), null).size() < 15; i++) {
            round(first, job.name());
        }
        int startedByFirst = executions(job.name(), null).size();
        // ... and another replica, started from nothing, asks for the same backfill and drives it to its end
        Replica second = replica();
        var again = second.service().create(job, request);
        List<BackfillStatus.State> states = new ArrayList<>();
        for (int i = 0; i < 200 && second.service().status(backfill.id()).state() == BackfillStatus.State.RUNNING; i++) {
            round(second, job.name());
            states.add(second.service().status(backfill.id()).state());
        }
        second.driver().tick(Instant.now());

        // Then the same backfill was named again, and it ended with exactly 30 executions, one per fire, all succeeded
        assertThat(startedByFirst).isBetween(15, 17);
        assertThat(again.created()).isFalse();
        List<ExecutionListItem> all = executions(job.name(), null);
        assertThat(all).hasSize(30);
        assertThat(all.stream().map(ExecutionListItem::name).collect(Collectors.toSet())).hasSize(30);
        assertThat(all).allSatisfy(e -> assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
        BackfillStatus status = second.service().status(backfill.id());
        assertThat(status.state()).isEqualTo(BackfillStatus.State.SUCCEEDED);
        assertThat(status.succeeded()).isEqualTo(30);
        // And never more than three ran at once
        assertThat(mostRunning).isLessThanOrEqualTo(3);
        // And the record moved to closed in S3, where no replica drives it again
        assertThat(new S3Backfills(s3, registry).open()).isEmpty();
        assertThat(new S3Backfills(s3, registry).get(backfill.id())).hasValueSatisfying(b -> assertThat(b.finished()).isTrue());
    }
}
