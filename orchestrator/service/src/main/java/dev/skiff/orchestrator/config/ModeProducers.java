package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.app.RunningAttemptTasks;
import dev.skiff.orchestrator.adapter.local.LocalTaskLogs;
import dev.skiff.orchestrator.adapter.ecs.CloudWatchTaskLogs;
import dev.skiff.orchestrator.port.Backfills;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.orchestrator.port.TaskLogs;
import dev.skiff.orchestrator.port.TaskRecords;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Picks the {@link SkiffMode} once, from {@code skiff.engine} and {@code skiff.launcher}, and hands out its ports:
 * nothing else reads those two keys. The mode not chosen is never built.
 */
@Singleton
class ModeProducers {

    @Produces
    @Singleton
    ModeChoice choice(SkiffConfig config) {
        return ModeChoice.of(config.engine(), config.launcher());
    }

    @Produces
    @Singleton
    SkiffMode mode(ModeChoice choice, Instance<EmbeddedMode> embedded, Instance<StepFunctionsMode> stepFunctions) {
        return switch (choice.engine()) {
            case EMBEDDED -> embedded.get();
            case STEP_FUNCTIONS -> stepFunctions.get();
        };
    }

    @Produces
    @Singleton
    RunEngine engine(SkiffMode mode) {
        return mode.engine();
    }

    @Produces
    @Singleton
    TaskLauncher launcher(SkiffMode mode) {
        return mode.launcher();
    }

    @Produces
    @Singleton
    PausedSchedules pausedSchedules(SkiffMode mode) {
        return mode.pausedSchedules();
    }

    @Produces
    @Singleton
    Backfills backfills(SkiffMode mode) {
        return mode.backfills();
    }

    /**
     * Where attempts' logs are read: the process launcher's files, and with the Fargate launcher (in either engine)
     * the tasks' CloudWatch streams too; the CloudWatch client is built only then.
     */
    @Produces
    @Singleton
    TaskLogs taskLogs(ModeChoice choice, Instance<AwsClients> aws, Instance<FargateConfig> fargate) {
        TaskLogs local = new LocalTaskLogs();
        return choice.launcher() == ModeChoice.Launcher.FARGATE
                ? local.or(new CloudWatchTaskLogs(aws.get().cloudWatchLogs(), fargate.get().logGroupPrefix()))
                : local;
    }

    /** Where a follower of a running attempt's log finds its task: the fleet's tasks in Step Functions mode. */
    @Produces
    @Singleton
    RunningAttemptTasks runningAttemptTasks(ModeChoice choice, Instance<TaskFleet> fleet) {
        return choice.engine() == ModeChoice.Engine.STEP_FUNCTIONS ? RunningAttemptTasks.of(fleet.get())
                : RunningAttemptTasks.none();
    }

    @Produces
    @Singleton
    TaskRecords taskRecords(SkiffMode mode) {
        return mode.taskRecords();
    }
}
