package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.ecs.ExecutionRoles;
import dev.skiff.orchestrator.adapter.ecs.FargateOptions;
import dev.skiff.orchestrator.adapter.ecs.FargateTaskLauncher;
import dev.skiff.orchestrator.adapter.ecs.MicrometerFargateMetrics;
import dev.skiff.orchestrator.adapter.ecs.RegionPrices;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.adapter.embedded.LocalListing;
import dev.skiff.orchestrator.adapter.local.OwnerOnly;
import dev.skiff.orchestrator.adapter.local.ProcessLauncherOptions;
import dev.skiff.orchestrator.adapter.local.ProcessTaskLauncher;
import dev.skiff.orchestrator.adapter.metrics.MicrometerRunListener;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RemovedJobs;
import dev.skiff.orchestrator.app.RunEventsWritten;
import dev.skiff.orchestrator.app.RunListeners;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.orchestrator.port.TaskLauncher;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Builds the adapters: the embedded engine and its database, and both launchers. Which of them run is the chosen
 * {@link SkiffMode}'s business ({@link ModeProducers}); the core never asks which it got.
 */
@ApplicationScoped
class AdapterProducers {

    /** Local child processes, which keep running across restarts: nothing to close. */
    @Produces
    @Singleton
    @Typed(ProcessTaskLauncher.class)
    ProcessTaskLauncher processLauncher(SkiffConfig config, Clock clock) {
        Path data = dataDirectory(config);
        return new ProcessTaskLauncher(ProcessLauncherOptions.under(data)
                .withStopGracePeriod(config.embedded().stopGracePeriod())
                .withClock(clock));
    }

    @Produces
    @Singleton
    @Typed(FargateTaskLauncher.class)
    FargateTaskLauncher fargateLauncher(FargateConfig fargate, AwsClients aws, MeterRegistry registry, Clock clock,
                                        JobCatalog catalog) {
        FargateTaskLauncher launcher = FargateTaskLauncher.start(aws.ecs(),
                fargateOptions(fargate, aws.ecs().serviceClientConfiguration().region().id(), clock),
                new MicrometerFargateMetrics(registry));
        RemovedJobs.subscribe(catalog, launcher::jobRemoved); // a removed job's task definitions go with it
        return launcher;
    }

    /** Stops the Fargate launcher's poller. */
    void closeLauncher(@Disposes FargateTaskLauncher launcher) {
        launcher.close();
    }

    /**
     * Where and how Fargate tasks run, from {@code skiff.fargate.*}, in the ECS client's {@code region}; both engines
     * launch with these. (No SDK type in this class's signatures: see {@link AwsClients}.)
     */
    static FargateOptions fargateOptions(FargateConfig fargate, String region, Clock clock) {
        List<String> subnets = subnets(fargate);
        RegionPrices prices = FargatePriceConfig.forRegion(fargate, region);
        return FargateOptions.of(fargate.cluster(), subnets, region)
                .withSecurityGroups(fargate.securityGroups().orElse(List.of()))
                .withAssignPublicIp(fargate.assignPublicIp())
                .withRoles(fargate.taskRoleArn(), fargate.executionRoleArn())
                .withTeamExecutionRoles(teamExecutionRoles(fargate))
                .withTeamTaskRoles(teamTaskRoles(fargate))
                .withLogGroupPrefix(fargate.logGroupPrefix())
                .withPollInterval(fargate.pollInterval())
                .withRunTaskLimit(fargate.runTaskRate(), fargate.runTaskBurst())
                .withMaxLaunchWait(fargate.maxLaunchWait())
                .withKeepRevisions(fargate.keepRevisions())
                .withPrices(prices)
                .withClock(clock);
    }

    /** Refuses the {@code skiff.fargate.*} keys no launch could run with; called before any AWS client is built. */
    static void checkFargate(FargateConfig fargate, AwsConfig aws) {
        subnets(fargate);
        teamExecutionRoles(fargate);
        teamTaskRoles(fargate);
        FargatePriceConfig.check(fargate, aws.region());
    }

    private static List<String> subnets(FargateConfig fargate) {
        return fargate.subnets().filter(s -> !s.isEmpty()).orElseThrow(() -> new SkiffException(
                "skiff.fargate.subnets: required with skiff.launcher=fargate (the awsvpc subnets tasks run in)"));
    }

    private static java.util.Map<String, String> teamExecutionRoles(FargateConfig fargate) {
        try {
            return ExecutionRoles.parseTeamRoles(fargate.executionRoleArns().orElse(List.of()));
        } catch (IllegalArgumentException e) {
            throw new SkiffException(e.getMessage(), e);
        }
    }

    private static java.util.Map<String, String> teamTaskRoles(FargateConfig fargate) {
        try {
            return ExecutionRoles.parseTeamRoles(fargate.taskRoleArns().orElse(List.of()), "skiff.fargate.task-role-arns");
        } catch (IllegalArgumentException e) {
            throw new SkiffException(e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    @Typed(EmbeddedRunEngine.class)
    EmbeddedRunEngine embeddedEngine(SkiffConfig config, H2RunStore store, TaskLauncher launcher, RunListener listener,
                                     Clock clock) {
        return new EmbeddedRunEngine(store, launcher, listener, clock, config.embedded().maxConcurrentAttempts(),
                new LocalListing(config.embedded().listRoot().orElse(Path.of(""))));
    }

    /** The embedded database: runs, and the schedule pauses beside them. */
    @Produces
    @Singleton
    @Typed(H2RunStore.class)
    H2RunStore runStore(SkiffConfig config) {
        Path data = dataDirectory(config);
        H2RunStore store = H2RunStore.open(data);
        try {
            OwnerOnly.existingFiles(data, "skiff.*.db");
        } catch (IOException e) {
            store.close();
            throw new SkiffException("skiff.data-dir: cannot make the database files in " + data
                    + " owner-only (600): " + e.getMessage(), e);
        }
        return store;
    }

    void closeRunStore(@Disposes H2RunStore store) {
        store.close();
    }

    @Produces
    @Singleton
    RunListener runListener(MeterRegistry registry, RunEventsWritten runEvents) {
        return new RunListeners(List.of(new MicrometerRunListener(registry), runEvents));
    }

    /** Wakes the embedded mode's run-event relay; a separate bean, so that the engine needs nothing of the relay's. */
    @Produces
    @Singleton
    @Typed(RunEventsWritten.class)
    RunEventsWritten runEventsWritten() {
        return new RunEventsWritten();
    }

    /** The data directory, made owner-only (700). */
    static Path dataDirectory(SkiffConfig config) {
        Path dir = config.dataDir().toAbsolutePath();
        try {
            return OwnerOnly.directory(dir);
        } catch (IOException e) {
            throw new SkiffException("skiff.data-dir: cannot create " + dir + " as an owner-only (700) directory: "
                    + e.getMessage(), e);
        }
    }
}
