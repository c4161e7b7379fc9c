package dev.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.testing.MotoServer;
import dev.skiff.workflows.RunIds;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The follow benchmark's AWS half: the same {@code up} and {@code down} jobs ({@code down} follows {@code up}) on the
 * packaged service in Step Functions mode on moto, with Skiff's bus on moto's EventBridge, whose rule sends every event
 * to the SQS intake. The benchmark plays ECS ({@link LaunchedTaskPlayer}) and, since moto emits no Step Functions status
 * changes, EventBridge's rule on the default bus ({@link ExecutionStatusPlayer}). Prints, over {@value #HAND_OVERS}
 * hand-overs one at a time, the upstream execution's stopDate to the downstream execution's startDate, p50/p99, split
 * into the part the benchmark's own polling adds (stopDate to the status change sent) and Skiff's (sent to the
 * downstream execution started: the task-events consumer, PutEvents, moto's rule to the intake queue, the intake).
 */
final class FollowMotoBenchmark {

    private static final int HAND_OVERS = 30;
    private static final Duration HAND_OVER_TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for a redelivered status change to start a doubled downstream run, were it to. */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One hand-over's three figures, in milliseconds. */
    private record HandOver(double total, double polling, double skiff) {
    }

    private FollowMotoBenchmark() {
    }

    static void run() throws Exception {
        MotoServer moto = MotoServer.shared();
        moto.enableStepFunctionsExecution();
        URI endpoint = moto.endpoint();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String up = "up-" + suffix;
        String down = "down-" + suffix;
        Path jobs = Files.createTempDirectory(StepFunctionsService.target(), "follow-moto-jobs-");
        FollowJobs.write(jobs, up, down);
        try (SfnClient sfn = StepFunctionsService.sfn(endpoint);
             SqsClient sqs = StepFunctionsService.sqs(endpoint);
             EventBridgeClient events = StepFunctionsService.eventBridge(endpoint);
             EcsClient ecs = MotoCluster.client(endpoint)) {
            Map<String, String> environment = new HashMap<>(ServiceLaunches.LOG_FORMAT);
            environment.putAll(skiffBus(events, sqs, suffix));
            try (var service = StepFunctionsService.start("follow-moto", endpoint, sqs, ecs, suffix, jobs.toString(),
                    environment)) {
                String upMachine = StepFunctionsService.awaitStateMachine(sfn, "skiff-" + up);
                String downMachine = StepFunctionsService.awaitStateMachine(sfn, "skiff-" + down);
                List<HandOver> handOvers = new ArrayList<>();
                try (var ecsPlayer = new LaunchedTaskPlayer(new ServiceLaunches(service.log()), ecs,
                        service.cluster().name(), service.ecsEvents(ecs, sqs));
                     var sfnPlayer = new ExecutionStatusPlayer(sfn, sqs, service.taskEventsQueue(),
                             List.of(upMachine, downMachine))) {
                    for (int i = 0; i < HAND_OVERS; i++) {
                        handOvers.add(handOver(service.process(), sfn, sfnPlayer, up, down, upMachine, downMachine, i));
                    }
                    Thread.sleep(SETTLE.toMillis());
                    report(handOvers, sfnPlayer.errors() + ecsPlayer.errors());
                    checkOnePerUpstream(service.process(), sfnPlayer, sfn, up, down, downMachine);
                }
            }
        }
    }

    /**
     * Skiff's bus on moto with the rule that sends every event to the intake queue, as {@code infra} sets it up; returns
     * the service's environment for it (the bus for run events, the SQS intake on).
     */
    private static Map<String, String> skiffBus(EventBridgeClient events, SqsClient sqs, String suffix) {
        String bus = "skiff-runs-" + suffix;
        String intake = sqs.createQueue(r -> r.queueName("skiff-intake-" + suffix)).queueUrl();
        String deadLetters = sqs.createQueue(r -> r.queueName("skiff-intake-dlq-" + suffix)).queueUrl();
        String intakeArn = sqs.getQueueAttributes(r -> r.queueUrl(intake).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.createEventBus(r -> r.name(bus));
        // As infra's rule: the empty prefix matches every source (a pattern needs at least one field).
        events.putRule(r -> r.name("everything-to-intake").eventBusName(bus)
                .eventPattern("{\"source\": [{\"prefix\": \"\"}]}"));
        events.putTargets(r -> r.rule("everything-to-intake").eventBusName(bus)
                .targets(Target.builder().id("intake").arn(intakeArn).build()));
        return Map.of("SKIFF_SFN_RUN_EVENTS_BUS", bus,
                "SKIFF_INTAKE_SQS_QUEUE_URL", intake,
                "SKIFF_INTAKE_SQS_DEAD_LETTER_QUEUE_URL", deadLetters);
    }

    /** Posts one upstream run and waits for its downstream run's execution to end; times the hand-over. */
    private static HandOver handOver(OrchestratorProcess service, SfnClient sfn, ExecutionStatusPlayer player, String up,
                                     String down, String upMachine, String downMachine, int n) throws Exception {
        HttpResponse<String> posted = service.post("/jobs/" + up + "/runs", "{\"parameters\": {\"N\": \"" + n + "\"}}",
                "follow-moto-" + n);
        if (posted.statusCode() != 201) {
            throw new IllegalStateException("POST /jobs/" + up + "/runs answered " + posted.statusCode() + ": "
                    + posted.body());
        }
        String upstream = JSON.readTree(posted.body()).path("runId").asText();
        Instant giveUp = Instant.now().plus(HAND_OVER_TIMEOUT);
        Optional<String> downstream = Optional.empty();
        while (downstream.isEmpty() || player.ended(downstream.get()).isEmpty()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("no downstream run of " + down + " for upstream run " + upstream
                        + (downstream.isEmpty() ? " started" : " (" + downstream.get() + ") ended") + " within "
                        + HAND_OVER_TIMEOUT.toSeconds() + " s; upstream's end "
                        + player.ended(upstream).map(Object::toString).orElse("not announced yet"));
            }
            Thread.sleep(50);
            if (downstream.isEmpty()) {
                downstream = downstreamRuns(player, down).getOrDefault(upstream, List.of()).stream().findFirst();
            }
        }
        DescribeExecutionResponse upExecution = describe(sfn, upMachine, upstream);
        DescribeExecutionResponse downExecution = describe(sfn, downMachine, downstream.get());
        if (upExecution.status() != ExecutionStatus.SUCCEEDED || downExecution.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException("upstream " + upstream + " ended " + upExecution.status() + ", downstream "
                    + downstream.get() + " " + downExecution.status() + "; both should have SUCCEEDED");
        }
        Instant sent = player.ended(upstream).orElseThrow().sentAt();
        return new HandOver(millis(upExecution.stopDate(), downExecution.startDate()),
                millis(upExecution.stopDate(), sent), millis(sent, downExecution.startDate()));
    }

    /**
     * The downstream runs by their UPSTREAM parameter, read from their executions' inputs (the API's run list, made of
     * ListExecutions, carries no parameters in Step Functions mode).
     */
    private static Map<String, List<String>> downstreamRuns(ExecutionStatusPlayer player, String down) throws Exception {
        Map<String, List<String>> byUpstream = new HashMap<>();
        for (Map.Entry<String, String> execution : player.startedInputs().entrySet()) {
            if (RunIds.jobOf(execution.getKey()).equals(down)) {
                String upstream = JSON.readTree(execution.getValue()).path("parameters").path("UPSTREAM").asText();
                byUpstream.computeIfAbsent(upstream, k -> new ArrayList<>()).add(execution.getKey());
            }
        }
        return byUpstream;
    }

    private static DescribeExecutionResponse describe(SfnClient sfn, String machine, String runId) {
        return sfn.describeExecution(r -> r.executionArn(machine.replace(":stateMachine:", ":execution:") + ":" + runId));
    }

    /** Fails loudly unless every upstream run has exactly one downstream run, and the down machine ran no more. */
    private static void checkOnePerUpstream(OrchestratorProcess service, ExecutionStatusPlayer player, SfnClient sfn,
                                            String up, String down, String downMachine) throws Exception {
        Map<String, List<String>> byUpstream = downstreamRuns(player, down);
        List<String> upstreams = new ArrayList<>();
        for (JsonNode run : JSON.readTree(service.get("/runs?job=" + up + "&limit=1000"))) {
            upstreams.add(run.path("runId").asText());
        }
        Map<String, Integer> wrong = upstreams.stream().filter(u -> byUpstream.getOrDefault(u, List.of()).size() != 1)
                .collect(Collectors.toMap(u -> u, u -> byUpstream.getOrDefault(u, List.of()).size()));
        int executions = (int) sfn.listExecutionsPaginator(r -> r.stateMachineArn(downMachine).maxResults(1000))
                .executions().stream().count();
        System.out.printf("  downstream runs             %d executions of %s for %d upstream runs (expected one each)%n",
                executions, down, upstreams.size());
        if (upstreams.size() != HAND_OVERS || !wrong.isEmpty() || executions != HAND_OVERS
                || byUpstream.size() != HAND_OVERS) {
            throw new IllegalStateException("downstream runs missing or doubled: " + upstreams.size() + " upstream runs, "
                    + executions + " downstream executions, downstream runs per upstream run that is not 1: " + wrong
                    + ", downstream runs by upstream: " + byUpstream);
        }
    }

    private static void report(List<HandOver> handOvers, int playErrors) {
        var total = new Stats(handOvers.stream().mapToDouble(HandOver::total).toArray());
        var polling = new Stats(handOvers.stream().mapToDouble(HandOver::polling).toArray());
        var skiff = new Stats(handOvers.stream().mapToDouble(HandOver::skiff).toArray());
        System.out.printf("%nfollow on moto (Step Functions mode, the packaged service; ECS and the default bus's status"
                + " changes played): %d hand-overs one at a time%n", handOvers.size());
        System.out.printf("  upstream stopDate -> downstream startDate   p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                total.percentile(50), total.percentile(99), total.percentile(100));
        System.out.printf("    of which the benchmark's polling          p50 %.0f ms, p99 %.0f ms (stopDate -> status change"
                + " sent to the task-events queue)%n", polling.percentile(50), polling.percentile(99));
        System.out.printf("    of which Skiff and moto                   p50 %.0f ms, p99 %.0f ms (sent -> downstream"
                + " execution started: task-events consumer, PutEvents, the bus's rule to the intake queue, the"
                + " intake, StartExecution)%n", skiff.percentile(50), skiff.percentile(99));
        if (playErrors > 0) {
            System.out.printf("  (%d failed attempts to play ECS or Step Functions, each tried again)%n", playErrors);
        }
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
