package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.ecs.FargateTaskLauncher;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.adapter.eventbridge.EventBridgeRunEventSink;
import dev.skiff.orchestrator.adapter.local.DirectoryTaskRecords;
import dev.skiff.orchestrator.adapter.s3.S3Backfills;
import dev.skiff.orchestrator.adapter.s3.S3EventMarks;
import dev.skiff.orchestrator.adapter.s3.S3PausedSchedules;
import dev.skiff.orchestrator.adapter.s3.S3TaskRecords;
import dev.skiff.orchestrator.adapter.s3.S3Watermarks;
import dev.skiff.orchestrator.adapter.sfn.StateMachineWarmer;
import dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine;
import dev.skiff.orchestrator.app.OutboxMarks;
import dev.skiff.orchestrator.app.PublishedDeadlines;
import dev.skiff.orchestrator.app.RunEventListener;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.aws.StepReconciler;
import dev.skiff.orchestrator.port.Backfills;
import dev.skiff.orchestrator.port.EventMarks;
import dev.skiff.orchestrator.port.MissedDeadlines;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.orchestrator.port.Watermarks;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * AWS mode: Step Functions keeps and steps the runs, tasks run on Fargate, the dispatch and task-events consumers
 * (on the channels {@link ModeChoice.Engine#STEP_FUNCTIONS} turns on) launch steps and report their ends, and the
 * reconciler keeps tasks and steps in line. With an S3 registry, pauses and task records live beside the specs,
 * where every replica sees them; with a directory registry, in the data directory as in the embedded default.
 */
@Singleton
@Typed(StepFunctionsMode.class) // reached only through ModeProducers, which picks one
final class StepFunctionsMode implements SkiffMode {

    private final ModeChoice choice;
    private final SkiffConfig config;
    private final Instance<StepFunctionsRunEngine> engine;
    private final Instance<FargateTaskLauncher> launcher;
    private final Instance<StepReconciler> reconciler;
    private final Instance<H2RunStore> store;
    private final Instance<AwsClients> aws;
    private final Instance<StepFunctionsConfig> sfnConfig;
    private final Instance<FargateConfig> fargateConfig;
    private final Instance<AwsConfig> awsConfig;
    private final Clock clock;
    private final Instance<RunEventListener> eventListeners;
    private final Instance<StateMachineWarmer> warmer;
    private TickLoop reconcilerLoop;

    StepFunctionsMode(ModeChoice choice, SkiffConfig config, Instance<StepFunctionsRunEngine> engine,
                      Instance<FargateTaskLauncher> launcher, Instance<StepReconciler> reconciler, Instance<H2RunStore> store,
                      Instance<AwsClients> aws, Instance<StepFunctionsConfig> sfnConfig, Instance<FargateConfig> fargateConfig,
                      Instance<AwsConfig> awsConfig, Clock clock,
                      Instance<RunEventListener> eventListeners, Instance<StateMachineWarmer> warmer) {
        this.warmer = warmer;
        this.awsConfig = awsConfig;
        this.eventListeners = eventListeners;
        this.choice = choice;
        this.config = config;
        this.engine = engine;
        this.launcher = launcher;
        this.reconciler = reconciler;
        this.store = store;
        this.aws = aws;
        this.sfnConfig = sfnConfig;
        this.fargateConfig = fargateConfig;
        this.clock = clock;
    }

    @Override
    public ModeChoice choice() {
        return choice;
    }

    @Override
    public boolean runsPipelines() {
        return RegistryProducers.runsPipelines(config, choice);
    }

    @Override
    public List<String> configProblems() {
        return problems(config, sfnConfig.get(), fargateConfig.get(), awsConfig.get());
    }

    /** Every key AWS mode needs and lacks, or has wrong; each check is the one its part makes when it is built. */
    static List<String> problems(SkiffConfig config, StepFunctionsConfig sfn, FargateConfig fargate, AwsConfig aws) {
        return new ConfigProblems()
                .check(() -> StepFunctionsProducers.roleArn(sfn))
                .check(() -> StepFunctionsProducers.dispatchQueue(sfn))
                .check(() -> StepFunctionsProducers.taskEventsQueue(sfn))
                .check(() -> StepFunctionsProducers.tokenSeal(sfn))
                .check(() -> StepFunctionsProducers.options(sfn))
                .check(() -> StepFunctionsProducers.checkReconcileInterval(sfn))
                .check(() -> StepFunctionsProducers.checkRegisterRate(sfn))
                .check(() -> AdapterProducers.checkFargate(fargate, aws))
                .check(() -> RegistryProducers.s3Registry(config))
                .list();
    }

    @Override
    public RunEngine engine() {
        return engine.get();
    }

    @Override
    public TaskLauncher launcher() {
        return launcher.get();
    }

    @Override
    public PausedSchedules pausedSchedules() {
        return RegistryProducers.s3Registry(config)
                .<PausedSchedules>map(at -> new S3PausedSchedules(aws.get().s3(), at, config.jobs().reloadInterval(), clock))
                .orElseGet(() -> store.get().pausedSchedules());
    }

    /** With an S3 registry, beside the specs: any replica drives a backfill on from there. */
    @Override
    public Backfills backfills() {
        return RegistryProducers.s3Registry(config).<Backfills>map(at -> new S3Backfills(aws.get().s3(), at))
                .orElseGet(() -> store.get().backfills());
    }

    @Override
    public TaskRecords taskRecords() {
        return RegistryProducers.s3Registry(config).<TaskRecords>map(at -> new S3TaskRecords(aws.get().s3(), at))
                .orElseGet(() -> new DirectoryTaskRecords(config.dataDir()));
    }

    /**
     * Put on the run-events bus at once, and marked announced beside the specs in S3 (else in the local database);
     * none without {@code skiff.sfn.run-events-bus}, since no run events are published then.
     */
    @Override
    public Optional<MissedDeadlines> missedDeadlines() {
        return sfnConfig.get().runEventsBus().map(bus -> {
            EventMarks marks = RegistryProducers.s3Registry(config).<EventMarks>map(at -> new S3EventMarks(aws.get().s3(), at))
                    .orElseGet(() -> new OutboxMarks(store.get().runEvents()));
            return new PublishedDeadlines(new EventBridgeRunEventSink(aws.get().eventBridge(), bus), eventListeners.stream().toList(),
                    marks);
        });
    }

    @Override
    public Watermarks watermarks() {
        return RegistryProducers.s3Registry(config).<Watermarks>map(at -> new S3Watermarks(aws.get().s3(), at))
                .orElseGet(() -> store.get().watermarks());
    }

    @Override
    public void start() {
        // Step Functions keeps and steps the runs; the reconciler keeps their tasks and steps in line.
        reconcilerLoop = new TickLoop("skiff-reconciler", reconciler.get(), clock).start();
        // The runs' starts make their machines current; the warmer readies them ahead, off the path to UP.
        if (sfnConfig.get().registerRate() > 0) {
            warmer.get();
        }
    }

    @Override
    public void stop() {
        if (reconcilerLoop != null) {
            reconcilerLoop.close();
        }
    }
}
