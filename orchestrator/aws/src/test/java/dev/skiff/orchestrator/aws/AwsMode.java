package dev.skiff.orchestrator.aws;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.ecs.EcsProxy;
import dev.skiff.orchestrator.adapter.ecs.FargateMetrics;
import dev.skiff.orchestrator.adapter.ecs.FargateTaskLauncher;
import dev.skiff.orchestrator.adapter.ecs.MotoEcs;
import dev.skiff.orchestrator.adapter.s3.MotoS3;
import dev.skiff.orchestrator.adapter.s3.S3Listing;
import dev.skiff.orchestrator.adapter.s3.S3Location;
import dev.skiff.orchestrator.adapter.s3.S3StepOutputs;
import dev.skiff.orchestrator.adapter.s3.S3TaskOutputs;
import dev.skiff.orchestrator.adapter.sfn.MotoAnswers;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.adapter.sfn.StateMachineOptions;
import dev.skiff.orchestrator.adapter.sfn.StateMachines;
import dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine;
import dev.skiff.orchestrator.adapter.sfn.StepWaits;
import dev.skiff.orchestrator.adapter.sfn.TaskTokens;
import dev.skiff.orchestrator.adapter.sqs.SqsQueue;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.orchestrator.port.TaskView;
import dev.skiff.testing.EcsEvents;
import dev.skiff.testing.MotoServer;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Step Functions mode assembled from its real parts on moto: state machines, the dispatch and task-events
 * consumers over their own SQS queues, Fargate through the container-emulating proxy, and the reconciler. The test
 * plays EventBridge: it reads a task's document through the proxy and sends the Task State Change event that
 * ECS would have sent. Nothing runs on its own: the test calls each part in turn, so every step is deterministic.
 */
final class AwsMode implements AutoCloseable {

    final SfnClient sfn = MotoStepFunctions.sfn();
    final SqsClient sqs = MotoStepFunctions.sqs();
    final SqsAsyncClient sqsAsync = SqsAsyncClient.builder().endpointOverride(MotoServer.shared().endpoint())
            .region(MotoStepFunctions.REGION)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();
    final EcsProxy proxy = new EcsProxy(MotoServer.shared().endpoint());
    final EcsClient ecs = MotoEcs.client(proxy.endpoint());
    final MotoEcs cluster = MotoEcs.create(ecs);
    final String dispatchQueue = MotoStepFunctions.dispatchQueue(sqs);
    final String taskEventsQueue = sqs.createQueue(r -> r.queueName("skiff-task-events-" + MotoEcs.suffix())).queueUrl();
    final Map<String, JobSpec> jobs = new ConcurrentHashMap<>();
    final StateMachines machines = new StateMachines(sfn, StateMachineOptions.of(MotoStepFunctions.ROLE_ARN, dispatchQueue));
    final FargateTaskLauncher fargate = FargateTaskLauncher.start(ecs, cluster.options(), FargateMetrics.NONE);
    final TaskTokens tokens = new TaskTokens(sfn);
    final TaskTokenSeal seal = TaskTokenSeal.of(List.of(MotoStepFunctions.TOKEN_KEY), "skiff.sfn.token-keys");
    final TaskRecords records = MotoStepFunctions.taskRecords();
    final S3Client s3 = MotoS3.client();
    /** The jobs bucket's prefix, where the stores for pipelines keep outputs (as the registry's prefix on AWS). */
    final S3Location jobsLocation = S3Location.parse("s3://" + MotoS3.createBucket(s3) + "/skiff/");
    final StepInputs inputs = new StepInputs(new S3StepOutputs(s3, jobsLocation), Optional.of(new S3Listing(s3)),
            Optional.of(new S3TaskOutputs(s3, jobsLocation)));
    final StepCompletion completion = new StepCompletion(this::job, fargate, tokens, seal, records, inputs);
    final StepFunctionsRunEngine engine = new StepFunctionsRunEngine(sfn, machines,
            new StepCancellation(fargate, this::job), this::job, records, java.time.Clock.systemUTC());
    final DispatchConsumer dispatch = new DispatchConsumer(new StepLauncher(this::job, fargate, tokens, seal, inputs),
            new SqsQueue(sqsAsync, dispatchQueue), StepMetrics.NONE);
    final TaskEventsConsumer taskEvents = new TaskEventsConsumer(fargate, completion, new SqsQueue(sqsAsync, taskEventsQueue), StepMetrics.NONE);
    final MotoAnswers answers = new MotoAnswers(tokens, new StepWaits(sfn, machines));
    final StepReconciler reconciler = new StepReconciler(fargate, tokens, completion, new StepWaits(sfn, machines),
            this::job, Duration.ofMinutes(1));

    Optional<JobSpec> job(String name) {
        return Optional.ofNullable(jobs.get(name));
    }

    JobSpec register(JobSpec job) {
        jobs.put(job.name(), job);
        machines.register(job);
        return job;
    }

    /** The next launch request on the dispatch queue, as the connector hands it over (with its receive count). */
    Message nextLaunchRequest(Duration within) {
        Instant giveUp = Instant.now().plus(within);
        while (Instant.now().isBefore(giveUp)) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(dispatchQueue).waitTimeSeconds(1).maxNumberOfMessages(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (!messages.isEmpty()) {
                return messages.get(0);
            }
        }
        throw new AssertionError("no launch request reached the dispatch queue within " + within);
    }

    /**
     * Receives the next launch request and lets the dispatch consumer settle it. A step the launcher answered at once
     * (no task started) is one moto may not hear yet: {@link MotoAnswers} sees that it does.
     */
    DispatchConsumer.Outcome dispatchNext() {
        Message message = nextLaunchRequest(Duration.ofSeconds(60));
        DispatchConsumer.Outcome outcome = dispatch.handle(message);
        DispatchRequest request = DispatchRequest.parse(message.body());
        if (outcome == DispatchConsumer.Outcome.SETTLED && tasksOf(request.runId(), request.attempt()).isEmpty()) {
            try {
                answers.awaitHeard(request.job(), request.runId(), request.attempt(), request.taskToken());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return outcome;
    }

    /** Every task the attempt's startedBy names, running or stopped. */
    List<Task> tasksOf(String runId, int attempt) {
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            arns.addAll(ecs.listTasks(r -> r.cluster(cluster.cluster).desiredStatus(status)).taskArns());
        }
        if (arns.isEmpty()) {
            return List.of();
        }
        return ecs.describeTasks(r -> r.cluster(cluster.cluster).tasks(arns)).tasks().stream()
                .filter(t -> stepOf(t, seal).map(s -> s.runId().equals(runId) && s.attempt() == attempt).orElse(false))
                .toList();
    }

    /** The task, once ECS (moto, through the container emulator) shows it stopped. */
    Task awaitStopped(String taskArn) {
        for (int i = 0; i < 50; i++) {
            Task task = ecs.describeTasks(r -> r.cluster(cluster.cluster).tasks(taskArn)).tasks().get(0);
            if ("STOPPED".equals(task.lastStatus())) {
                return task;
            }
        }
        throw new AssertionError("task " + taskArn + " never stopped");
    }

    /** Sends the Task State Change event ECS would send for this task document. */
    void publish(Task task, long version) {
        sqs.sendMessage(r -> r.queueUrl(taskEventsQueue).messageBody(event(task, version)));
    }

    /** Lets the task-events consumer settle every message waiting on the queue; returns their outcomes. */
    List<TaskEventsConsumer.Outcome> consumeTaskEvents() {
        List<TaskEventsConsumer.Outcome> outcomes = new ArrayList<>();
        while (true) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(taskEventsQueue).waitTimeSeconds(1)
                    .maxNumberOfMessages(10)).messages();
            if (messages.isEmpty()) {
                return outcomes;
            }
            messages.forEach(m -> outcomes.add(taskEvents.handle(m)));
        }
    }

    /**
     * Brings a stopped task's end through the launcher's one end path, as an event or a sweep does; what the step's
     * completion made of it ({@code IGNORED} when the launcher reported nothing).
     */
    StepCompletion.Outcome stopped(Task task) {
        return fargate.ended(fargate.view(task)) ? completion.outcomeOf(task.taskArn()) : StepCompletion.Outcome.IGNORED;
    }

    /** The step a task document runs, as the glue reads it from the task's view. */
    static Optional<StepTask> stepOf(Task task, TaskTokenSeal seal) {
        return StepTask.of(new TaskView(task.taskArn(), task.lastStatus(), Optional.ofNullable(task.startedAt()),
                FargateTaskLauncher.environmentOf(task), 0, Optional.empty()), seal);
    }

    RunStatus statusOf(String runId) {
        return engine.get(runId).orElseThrow().status();
    }

    void awaitStatus(String runId, RunStatus expected) throws InterruptedException {
        // Generous: moto steps executions in Python threads, which a loaded machine slows by tens of seconds.
        MotoStepFunctions.awaitStatus(() -> statusOf(runId), expected, Duration.ofSeconds(60));
    }

    /** An ECS Task State Change event, as EventBridge delivers it to SQS. */
    static String event(Task task, long version) {
        return EcsEvents.stateChange(task, version);
    }

    /** A copy of the document with another last status, as an earlier (or later) event would carry it. */
    static Task withStatus(Task task, String lastStatus) {
        return task.toBuilder().lastStatus(lastStatus).build();
    }

    @Override
    public void close() {
        fargate.close();
        proxy.close();
        ecs.close();
        sqsAsync.close();
        sqs.close();
        sfn.close();
        s3.close();
    }
}
