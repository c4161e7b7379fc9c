package dev.skiff.orchestrator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.adapter.sqs.SqsQueue;
import dev.skiff.orchestrator.adapter.eventbridge.EventBridgeRunEventSink;
import dev.skiff.orchestrator.app.EventIntake;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.RunDispatcher;
import dev.skiff.orchestrator.app.RunEventListener;
import dev.skiff.orchestrator.domain.Trigger;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Run events in Step Functions mode, through the real parts on moto: each execution's status change (which the test
 * plays, as EventBridge's rule on the default bus would deliver it to the task-events queue) becomes Skiff's run event,
 * put on Skiff's bus with PutEvents; the bus's rule brings it to the intake queue, and the intake starts the jobs that
 * follow. A chain extract → transform → load runs on those events alone.
 */
class RunEventsOnAwsModeTest {

    private static final Duration WITHIN = Duration.ofSeconds(150);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsMode aws = new AwsMode();
    private final EventBridgeClient events = MotoStepFunctions.eventBridge();
    private final String bus = "skiff-" + MotoStepFunctions.jobName("bus");
    private final String intakeQueue = aws.sqs.createQueue(r -> r.queueName(MotoStepFunctions.jobName("intake"))).queueUrl();
    private final JobCatalog catalog = new JobCatalog();
    private final EventIntake intake = new EventIntake(catalog, new RunDispatcher(catalog, aws.engine), JSON, Clock.systemUTC());
    private final List<JsonNode> heard = new CopyOnWriteArrayList<>();
    private final RunEventListener listener = heard::add;
    private final TaskEventsConsumer consumer = new TaskEventsConsumer(aws.fargate, aws.completion,
            new SqsQueue(aws.sqsAsync, aws.taskEventsQueue), StepMetrics.NONE, Optional.of(new ExecutionStatusEvents(
                    aws.engine, aws::job, new EventBridgeRunEventSink(events, bus), List.of(listener), "skiff-")));
    private final Set<String> stopped = new HashSet<>();
    private final Set<String> announced = new HashSet<>();

    @AfterEach
    void close() {
        events.close();
        aws.close();
    }

    @Test
    void shouldRunAChainOfThreeJobsOnRunEventsAloneEachOnceWithTheUpstreamDate() throws Exception {
        // Given Skiff's bus, whose rule sends skiff.runs events to the intake queue, and extract → transform → load
        events.createEventBus(r -> r.name(bus));
        events.putRule(r -> r.name("runs-to-intake").eventBusName(bus).eventPattern("{\"source\": [\"skiff.runs\"]}"));
        String queueArn = aws.sqs.getQueueAttributes(r -> r.queueUrl(intakeQueue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.putTargets(r -> r.rule("runs-to-intake").eventBusName(bus).targets(t -> t.id("intake").arn(queueArn)));
        String extract = MotoStepFunctions.jobName("extract");
        String transform = MotoStepFunctions.jobName("transform");
        String load = MotoStepFunctions.jobName("load");
        register(TestSpecs.shell(extract, "true", "parameters: {DATE: {required: true}}"));
        register(TestSpecs.shell(transform, "true", "parameters: {DATE: {required: true}}",
                "triggers: {after: [{job: " + extract + "}]}"));
        register(TestSpecs.shell(load, "true", "parameters: {DAY: {required: true}}",
                "triggers: {after: [{job: " + transform + ", parameters: {DAY: $.detail.parameters.DATE}}]}"));

        // When extract runs, and the test plays ECS and the executions' status changes
        String first = RunIds.idempotencyKey(extract, "chain");
        new RunDispatcher(catalog, aws.engine).dispatch(new Trigger(extract, first, "api", Map.of("DATE", "2026-12-01")));
        List<String> runs = playUntil(load);

        // Then transform and load each ran once, load with the date, all succeeded
        assertThat(runs).filteredOn(id -> RunIds.jobOf(id).equals(transform)).hasSize(1);
        String loadRun = runs.stream().filter(id -> RunIds.jobOf(id).equals(load)).findFirst().orElseThrow();
        assertThat(runs).filteredOn(id -> RunIds.jobOf(id).equals(load)).hasSize(1);
        Run loaded = aws.engine.get(loadRun).orElseThrow();
        assertThat(loaded.parameters()).containsEntry("DAY", "2026-12-01");
        assertThat(runs).allSatisfy(id -> assertThat(aws.statusOf(id)).isEqualTo(RunStatus.SUCCEEDED));
        // and the listeners heard each run's start and success, with deterministic ids
        assertThat(heard).filteredOn(e -> e.path("detail").path("runId").asText().equals(first))
                .extracting(e -> e.path("detail-type").asText() + " " + e.path("detail").path("skiffEventId").asText())
                .containsExactlyInAnyOrder("Run Started " + first + "/STARTED", "Run Succeeded " + first + "/SUCCEEDED");

        // And extract's success announced again (a redelivered status change) starts no second transform
        announce(first, "SUCCEEDED");
        consumer.handle(receiveOne(aws.taskEventsQueue));
        List<String> again = drainIntake();
        assertThat(again).isEmpty();
    }

    private void register(JobSpec job) {
        aws.register(job);
        var all = new ArrayList<RegisteredJob>(catalog.snapshot().jobs().values());
        all.add(new RegisteredJob(job, job.name() + ".yaml"));
        catalog.replace(all, List.of());
    }

    /** Plays ECS (STOPPED events), Step Functions' status changes and the intake until a run of {@code last} ended. */
    private List<String> playUntil(String last) throws Exception {
        List<String> runs = new ArrayList<>();
        Instant giveUp = Instant.now().plus(WITHIN);
        while (Instant.now().isBefore(giveUp)) {
            for (Message m : aws.sqs.receiveMessage(r -> r.queueUrl(aws.dispatchQueue).waitTimeSeconds(1)
                    .maxNumberOfMessages(10)).messages()) {
                Thread.sleep(200);
                aws.dispatch.handle(m);
            }
            for (Task task : tasks()) {
                if ("STOPPED".equals(task.lastStatus()) && stopped.add(task.taskArn())) {
                    aws.publish(task, 3);
                }
            }
            for (String runId : known(runs)) {
                RunStatus status = aws.statusOf(runId);
                if (announced.add(runId + "/RUNNING")) {
                    announce(runId, "RUNNING");
                }
                if (status.isTerminal() && announced.add(runId + "/END")) {
                    announce(runId, status == RunStatus.SUCCEEDED ? "SUCCEEDED" : "FAILED");
                }
            }
            consumeTaskEvents();
            drainIntake();
            if (runs.stream().anyMatch(id -> RunIds.jobOf(id).equals(last) && aws.statusOf(id).isTerminal())) {
                return runs;
            }
        }
        throw new AssertionError("no run of " + last + " ended within " + WITHIN + "; runs " + runs);
    }

    /** Every run of the chain's jobs so far. */
    private List<String> known(List<String> runs) {
        runs.clear();
        for (String job : catalog.snapshot().jobs().keySet()) {
            aws.engine.list(new RunEngine.RunQuery(Optional.of(job), Set.of(), Optional.empty(), 100))
                    .forEach(run -> runs.add(run.runId()));
        }
        return runs;
    }

    /** The status change EventBridge's rule on the default bus would deliver for the run's execution. */
    private void announce(String runId, String status) {
        String machine = "arn:aws:states:us-east-1:123456789012:stateMachine:skiff-" + RunIds.jobOf(runId);
        String body = """
                {"version": "0", "id": "%s", "detail-type": "Step Functions Execution Status Change",
                 "source": "aws.states", "account": "123456789012", "time": "%s", "region": "us-east-1",
                 "resources": ["%s"],
                 "detail": {"executionArn": "%s", "stateMachineArn": "%s", "name": "%s", "status": "%s",
                            "startDate": %d, "stopDate": null}}""".formatted(java.util.UUID.randomUUID(), Instant.now(),
                machine, machine.replace(":stateMachine:", ":execution:") + ":" + runId, machine, runId, status,
                System.currentTimeMillis());
        aws.sqs.sendMessage(r -> r.queueUrl(aws.taskEventsQueue).messageBody(body));
    }

    private void consumeTaskEvents() {
        while (true) {
            List<Message> messages = aws.sqs.receiveMessage(r -> r.queueUrl(aws.taskEventsQueue).waitTimeSeconds(1)
                    .maxNumberOfMessages(10)).messages();
            if (messages.isEmpty()) {
                return;
            }
            for (Message m : messages) {
                consumer.handle(m);
                AwsMode.stepOf(taskOf(m), aws.seal).ifPresent(step -> wake(step.taskToken()));
            }
        }
    }

    /** The runs the intake queue's events started (created ones only). */
    private List<String> drainIntake() {
        List<String> started = new ArrayList<>();
        while (true) {
            List<Message> messages = aws.sqs.receiveMessage(r -> r.queueUrl(intakeQueue).waitTimeSeconds(1)
                    .maxNumberOfMessages(10)).messages();
            if (messages.isEmpty()) {
                return started;
            }
            for (Message m : messages) {
                for (EventIntake.EventResult result : intake.accept(m.body()).results()) {
                    result.runs().stream().filter(EventIntake.StartedRun::created).forEach(r -> started.add(r.runId()));
                }
                aws.sqs.deleteMessage(r -> r.queueUrl(intakeQueue).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private Message receiveOne(String queue) {
        for (int i = 0; i < 10; i++) {
            List<Message> messages = aws.sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(1)).messages();
            if (!messages.isEmpty()) {
                return messages.get(0);
            }
        }
        throw new AssertionError("no message on " + queue);
    }

    /** The task an ECS event message is about, if it is one (the stand-in answers for task tokens). */
    private Task taskOf(Message message) {
        try {
            JsonNode detail = JSON.readTree(message.body()).path("detail");
            String arn = detail.path("taskArn").asText("");
            return arn.isEmpty() ? Task.builder().taskArn("none").build()
                    : aws.ecs.describeTasks(r -> r.cluster(aws.cluster.cluster).tasks(arn)).tasks().get(0);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Task> tasks() {
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            arns.addAll(aws.ecs.listTasks(r -> r.cluster(aws.cluster.cluster).desiredStatus(status)).taskArns());
        }
        return arns.isEmpty() ? List.of() : aws.ecs.describeTasks(r -> r.cluster(aws.cluster.cluster).tasks(arns)).tasks();
    }

    private void wake(String token) {
        try {
            aws.sfn.sendTaskHeartbeat(r -> r.taskToken(token));
        } catch (RuntimeException alreadyHeard) {
            // the execution moved on
        }
    }
}
