package dev.skiff.orchestrator.config;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.ecs.FargateTaskLauncher;
import dev.skiff.orchestrator.adapter.eventbridge.EventBridgeRunEventSink;
import dev.skiff.orchestrator.adapter.s3.S3Listing;
import dev.skiff.orchestrator.adapter.s3.S3StepOutputs;
import dev.skiff.orchestrator.adapter.s3.S3TaskOutputs;
import dev.skiff.orchestrator.adapter.sfn.StateMachineOptions;
import dev.skiff.orchestrator.adapter.sfn.StateMachineWarmer;
import dev.skiff.orchestrator.adapter.sfn.StateMachines;
import dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine;
import dev.skiff.orchestrator.adapter.sfn.StepWaits;
import dev.skiff.orchestrator.adapter.sfn.TaskTokens;
import dev.skiff.orchestrator.adapter.sqs.SqsQueue;
import dev.skiff.orchestrator.adapter.sqs.SqsReceiveRequests;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RunEventListener;
import dev.skiff.orchestrator.aws.DispatchConsumer;
import dev.skiff.orchestrator.aws.ExecutionStatusEvents;
import dev.skiff.orchestrator.aws.StepCancellation;
import dev.skiff.orchestrator.aws.StepCompletion;
import dev.skiff.orchestrator.aws.StepFunctionsChannels;
import dev.skiff.orchestrator.aws.StepInputs;
import dev.skiff.orchestrator.aws.StepLauncher;
import dev.skiff.orchestrator.aws.StepMetrics;
import dev.skiff.orchestrator.aws.StepReconciler;
import dev.skiff.orchestrator.aws.TaskEventsConsumer;
import dev.skiff.orchestrator.aws.TaskTokenSeal;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.workflows.CompileOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.aws.sqs.SqsReceiveMessageRequestCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The {@code stepfunctions} engine's parts: the engine, the dispatch and task-events consumers and the
 * reconciler. They are built only when something asks for them: {@link StepFunctionsMode}, chosen only with
 * {@code skiff.engine=stepfunctions}, and the channels on only then. So the embedded default never builds an AWS
 * client or reads {@code skiff.sfn.}.
 */
@ApplicationScoped
class StepFunctionsProducers {

    /** The jobs' state machines, each made current when its run starts: building this makes no call. */
    @Produces
    @Singleton
    StateMachines machines(StepFunctionsConfig config, AwsClients aws) {
        return new StateMachines(aws.sfn(), options(config));
    }

    /**
     * Warms every job's state machine in the background at {@code skiff.sfn.register-rate}; built by the mode's
     * start only when that is above 0.
     */
    @Produces
    @Singleton
    StateMachineWarmer warmer(StepFunctionsConfig config, StateMachines machines, JobCatalog catalog) {
        checkRegisterRate(config);
        // Never faster than register-rate: one set below the default unscheduled rate slows both.
        var warmer = new StateMachineWarmer(machines, jobs(catalog), config.registerRate(),
                Math.min(config.unscheduledRegisterRate(), config.registerRate()), config.registerAhead(), Clock.systemUTC());
        warmer.follow(catalog);
        return warmer;
    }

    void close(@Disposes StateMachineWarmer warmer) {
        warmer.close();
    }

    @Produces
    @Singleton
    @Typed(StepFunctionsRunEngine.class)
    StepFunctionsRunEngine engine(AwsClients aws, StateMachines machines, TaskFleet fleet, JobCatalog catalog,
                                  TaskRecords records, Clock clock) {
        return new StepFunctionsRunEngine(aws.sfn(), machines, new StepCancellation(fleet, jobs(catalog)), jobs(catalog),
                records, clock);
    }

    /**
     * The Fargate launcher's tasks as a fleet: the only launcher Step Functions mode has ({@link ModeChoice}), since
     * ECS events report the tasks' ends. The same instance as the mode's {@code TaskLauncher}: one Fargate front.
     */
    @Produces
    @Singleton
    TaskFleet fleet(FargateTaskLauncher launcher) {
        return launcher;
    }

    @Produces
    @Singleton
    TaskTokens tokens(AwsClients aws) {
        return new TaskTokens(aws.sfn());
    }

    /** Checked at start by {@link ModeStartCheck} through {@link #tokenSeal}, so a missing or weak key stops the start, not the first launch. */
    @Produces
    @Singleton
    TaskTokenSeal seal(StepFunctionsConfig config) {
        return tokenSeal(config);
    }

    static TaskTokenSeal tokenSeal(StepFunctionsConfig config) {
        try {
            return TaskTokenSeal.of(config.tokenKeys().orElse(List.of()), "skiff.sfn.token-keys");
        } catch (IllegalArgumentException e) {
            throw new SkiffException(e.getMessage() + " (the keys that seal each step's task token in its task;"
                    + " every replica needs the same list)", e);
        }
    }

    @Produces
    @Singleton
    StepCompletion completion(TaskFleet fleet, TaskTokens tokens, TaskTokenSeal seal, TaskRecords records,
                              JobCatalog catalog, StepInputs inputs) {
        return new StepCompletion(loadedJobs(catalog), fleet, tokens, seal, records, inputs);
    }

    /**
     * What a pipeline's steps read and write: with an S3 registry, outputs beside the specs
     * ({@code .skiff/outputs/<owner>/...} written by tasks, {@code .skiff/steps/<run id>/} kept by the orchestrator);
     * with a directory registry no output store (a reference to an output fails the step that makes it). A forEach's
     * {@code list} is read with the S3 client either way.
     */
    @Produces
    @Singleton
    StepInputs stepInputs(SkiffConfig config, AwsClients aws) {
        return RegistryProducers.s3Registry(config)
                .map(at -> new StepInputs(new S3StepOutputs(aws.s3(), at), Optional.of(new S3Listing(aws.s3())),
                        Optional.of(new S3TaskOutputs(aws.s3(), at))))
                .orElseGet(() -> new StepInputs(StepInputs.NONE.outputs(), Optional.of(new S3Listing(aws.s3())),
                        Optional.empty()));
    }

    @Produces
    @Singleton
    DispatchConsumer dispatch(StepFunctionsConfig config, TaskFleet fleet, TaskTokens tokens, TaskTokenSeal seal,
                              JobCatalog catalog, SqsAsyncClient sqs, MeterRegistry registry, StepInputs inputs) {
        String queue = dispatchQueue(config);
        return new DispatchConsumer(new StepLauncher(loadedJobs(catalog), fleet, tokens, seal, inputs), new SqsQueue(sqs, queue),
                StepMetrics.micrometer(registry));
    }

    @Produces
    @Singleton
    TaskEventsConsumer taskEvents(StepFunctionsConfig config, TaskFleet fleet, StepCompletion completion,
                                  SqsAsyncClient sqs, MeterRegistry registry, Instance<ExecutionStatusEvents> runEvents) {
        String queue = taskEventsQueue(config);
        return new TaskEventsConsumer(fleet, completion, new SqsQueue(sqs, queue), StepMetrics.micrometer(registry),
                config.runEventsBus().map(bus -> runEvents.get()));
    }

    /** Run events from the executions' status changes, put on {@code skiff.sfn.run-events-bus}; only when it is set. */
    @Produces
    @Singleton
    ExecutionStatusEvents runEvents(StepFunctionsConfig config, StepFunctionsRunEngine engine, JobCatalog catalog,
                                    AwsClients aws, Instance<RunEventListener> listeners) {
        String bus = config.runEventsBus().orElseThrow();
        return new ExecutionStatusEvents(engine, loadedJobs(catalog), new EventBridgeRunEventSink(aws.eventBridge(), bus),
                listeners.stream().toList(), config.namePrefix());
    }

    @Produces
    @Singleton
    StepReconciler reconciler(StepFunctionsConfig config, TaskFleet fleet, TaskTokens tokens, StepCompletion completion,
                              AwsClients aws, StateMachines machines, JobCatalog catalog) {
        checkReconcileInterval(config);
        return new StepReconciler(fleet, tokens, completion, new StepWaits(aws.sfn(), machines), jobs(catalog),
                config.reconcileInterval());
    }

    /** Found by the connector through the channel's name: long polls, the receive count, a visibility that outlasts a launch. */
    @Produces
    @Singleton
    @Identifier(StepFunctionsChannels.DISPATCH)
    SqsReceiveMessageRequestCustomizer dispatchReceives(StepFunctionsConfig config) {
        return new SqsReceiveRequests(config.dispatchVisibilityTimeout());
    }

    @Produces
    @Singleton
    @Identifier(StepFunctionsChannels.TASK_EVENTS)
    SqsReceiveMessageRequestCustomizer taskEventReceives(StepFunctionsConfig config) {
        return new SqsReceiveRequests(config.taskEventsVisibilityTimeout());
    }

    /** How long a consumer built right after a start waits for the registry's first read. */
    private static final Duration FIRST_LOAD = Duration.ofMinutes(1);

    /**
     * The jobs by name, once the registry has been read: the consumers are built on their first message, which
     * after a restart can come before the first read, and "no such job" would then fail a launch for good.
     */
    private static Function<String, Optional<JobSpec>> loadedJobs(JobCatalog catalog) {
        try {
            if (!catalog.awaitLoaded(FIRST_LOAD)) {
                throw new SkiffException("skiff.jobs.location: the job registry was not read within " + FIRST_LOAD
                        + "; launch requests and task events wait in their queues");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkiffException("interrupted while waiting for the job registry", e);
        }
        return catalog::find;
    }

    private static Function<String, Optional<JobSpec>> jobs(JobCatalog catalog) {
        return catalog::find;
    }

    /** A running step lives on the reconciler's heartbeats: one missed sweep must not time it out. */
    static void checkReconcileInterval(StepFunctionsConfig config) {
        if (config.reconcileInterval().multipliedBy(2).compareTo(config.heartbeat()) > 0) {
            throw new SkiffException("skiff.sfn.reconcile-interval: " + config.reconcileInterval()
                    + " must be at most half of skiff.sfn.heartbeat (" + config.heartbeat()
                    + "), or a running step times out between two sweeps");
        }
    }

    static void checkRegisterRate(StepFunctionsConfig config) {
        double rate = config.registerRate();
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new SkiffException("skiff.sfn.register-rate: " + rate + " must be 0 (no background warming) or a"
                    + " positive number of jobs per second");
        }
        double unscheduled = config.unscheduledRegisterRate();
        if (rate > 0 && (!(unscheduled > 0) || Double.isInfinite(unscheduled))) {
            throw new SkiffException("skiff.sfn.unscheduled-register-rate: " + unscheduled + " must be a positive number"
                    + " of jobs per second (taken as skiff.sfn.register-rate when above it)");
        }
        if (config.registerAhead().isNegative()) {
            throw new SkiffException("skiff.sfn.register-ahead: " + config.registerAhead() + " must not be negative");
        }
    }

    static StateMachineOptions options(StepFunctionsConfig config) {
        String role = roleArn(config);
        String queue = dispatchQueue(config);
        try {
            CompileOptions compile = CompileOptions.defaults().withDispatchQueueUrl(queue)
                    .withHeartbeat(config.heartbeat()).withLaunchAllowance(config.launchAllowance());
            return new StateMachineOptions(config.namePrefix(), role, compile);
        } catch (IllegalArgumentException e) {
            throw new SkiffException("skiff.sfn: " + e.getMessage(), e);
        }
    }

    static String roleArn(StepFunctionsConfig config) {
        return required(config.roleArn(), "skiff.sfn.role-arn", "the role the state machines run as");
    }

    static String dispatchQueue(StepFunctionsConfig config) {
        return required(config.dispatchQueueUrl(), "skiff.sfn.dispatch-queue-url", "the queue the state machines send launches to");
    }

    static String taskEventsQueue(StepFunctionsConfig config) {
        return required(config.taskEventsQueueUrl(), "skiff.sfn.task-events-queue-url",
                "the queue an EventBridge rule sends the cluster's ECS Task State Change events to");
    }

    private static String required(Optional<String> value, String key, String what) {
        return value.filter(s -> !s.isBlank()).orElseThrow(() -> new SkiffException(
                key + ": required with skiff.engine=stepfunctions (" + what + ")"));
    }
}
