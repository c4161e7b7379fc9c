package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.ecs.ExecutionRoles;
import dev.skiff.orchestrator.adapter.ecs.FargateOptions;
import dev.skiff.orchestrator.adapter.ecs.FargatePrices;
import dev.skiff.orchestrator.adapter.ecs.FargateTaskLauncher;
import dev.skiff.orchestrator.adapter.ecs.MicrometerFargateMetrics;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.adapter.s3.S3Location;
import dev.skiff.orchestrator.adapter.s3.S3PausedSchedules;
import dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine;
import dev.skiff.orchestrator.adapter.local.OwnerOnly;
import dev.skiff.orchestrator.adapter.local.ProcessLauncherOptions;
import dev.skiff.orchestrator.adapter.local.ProcessTaskLauncher;
import dev.skiff.orchestrator.adapter.metrics.MicrometerRunListener;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.RemovedJobs;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.orchestrator.port.TaskLauncher;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/** Chooses the adapters named by {@code skiff.engine} and {@code skiff.launcher}; the core never asks which it got. */
@ApplicationScoped
public class AdapterProducers {

    @Produces
    @Singleton
    TaskLauncher launcher(SkiffConfig config, Clock clock, Instance<FargateConfig> fargate, Instance<AwsConfig> aws,
                          Instance<MeterRegistry> registry, JobCatalog catalog) {
        if ("fargate".equals(config.launcher())) {
            FargateTaskLauncher launcher = fargateLauncher(fargate.get(), aws.get(), registry.get(), clock);
            RemovedJobs.subscribe(catalog, launcher::jobRemoved); // a removed job's task definitions go with it
            return launcher;
        }
        if (!"process".equals(config.launcher())) {
            throw new SkiffException("skiff.launcher: " + config.launcher() + " is not a launcher this build has (known: process, fargate)");
        }
        Path data = dataDirectory(config);
        return new ProcessTaskLauncher(ProcessLauncherOptions.under(data)
                .withStopGracePeriod(config.embedded().stopGracePeriod())
                .withClock(clock));
    }

    /** Stops the Fargate launcher's poller; the process launcher keeps its children running across restarts. */
    void closeLauncher(@Disposes TaskLauncher launcher) {
        if (launcher instanceof FargateTaskLauncher fargate) {
            fargate.close();
        }
    }

    private static FargateTaskLauncher fargateLauncher(FargateConfig fargate, AwsConfig aws, MeterRegistry registry, Clock clock) {
        EcsClient ecs = ecsClient(aws);
        return FargateTaskLauncher.start(ecs, fargateOptions(fargate, ecs, clock), new MicrometerFargateMetrics(registry));
    }

    static EcsClient ecsClient(AwsConfig aws) {
        return AwsClientProducers.configured(EcsClient.builder(), aws).build();
    }

    /** Where and how Fargate tasks run, from {@code skiff.fargate.*}; both engines launch with these. */
    static FargateOptions fargateOptions(FargateConfig fargate, EcsClient ecs, Clock clock) {
        List<String> subnets = fargate.subnets().filter(s -> !s.isEmpty()).orElseThrow(() -> new SkiffException(
                "skiff.fargate.subnets: required with skiff.launcher=fargate (the awsvpc subnets tasks run in)"));
        String region = ecs.serviceClientConfiguration().region().id();
        var prices = new FargatePrices(fargate.prices().vcpuHour(), fargate.prices().gbHour(), fargate.prices().spotDiscount());
        return FargateOptions.of(fargate.cluster(), subnets, region)
                .withSecurityGroups(fargate.securityGroups().orElse(List.of()))
                .withAssignPublicIp(fargate.assignPublicIp())
                .withRoles(fargate.taskRoleArn(), fargate.executionRoleArn())
                .withTeamExecutionRoles(teamExecutionRoles(fargate))
                .withLogGroupPrefix(fargate.logGroupPrefix())
                .withPollInterval(fargate.pollInterval())
                .withRunTaskLimit(fargate.runTaskRate(), fargate.runTaskBurst())
                .withMaxLaunchWait(fargate.maxLaunchWait())
                .withKeepRevisions(fargate.keepRevisions())
                .withPrices(prices)
                .withClock(clock);
    }

    private static java.util.Map<String, String> teamExecutionRoles(FargateConfig fargate) {
        try {
            return ExecutionRoles.parseTeamRoles(fargate.executionRoleArns().orElse(List.of()));
        } catch (IllegalArgumentException e) {
            throw new SkiffException(e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    @Typed(EmbeddedRunEngine.class)
    EmbeddedRunEngine embeddedEngine(SkiffConfig config, H2RunStore store, TaskLauncher launcher, RunListener listener,
                                     Clock clock) {
        if (!"embedded".equals(config.engine())) {
            throw new SkiffException("skiff.engine: " + config.engine()
                    + " is not an engine this build has (known: embedded, stepfunctions)");
        }
        return new EmbeddedRunEngine(store, launcher, listener, clock, config.embedded().maxConcurrentAttempts());
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

    /**
     * Where schedule pauses live: beside the job specs in S3 in AWS mode with an S3 registry (every replica must
     * see them, and there is no database), else in the embedded database.
     */
    @Produces
    @Singleton
    PausedSchedules pausedSchedules(SkiffConfig config, Instance<H2RunStore> store, Instance<S3Client> s3, Clock clock) {
        String location = config.jobs().location();
        if (SkiffRuntime.STEP_FUNCTIONS.equals(config.engine()) && S3Location.isS3(location)) {
            return new S3PausedSchedules(s3.get(), S3Location.parse(location), config.jobs().reloadInterval(), clock);
        }
        return store.get().pausedSchedules();
    }

    @Produces
    @Singleton
    RunEngine engine(SkiffConfig config, Instance<EmbeddedRunEngine> embedded, Instance<StepFunctionsRunEngine> stepFunctions) {
        if (SkiffRuntime.STEP_FUNCTIONS.equals(config.engine())) {
            return stepFunctions.get();
        }
        return embedded.get();
    }

    @Produces
    @Singleton
    RunListener runListener(MeterRegistry registry) {
        return new MicrometerRunListener(registry);
    }

    private static Path dataDirectory(SkiffConfig config) {
        Path dir = config.dataDir().toAbsolutePath();
        try {
            return OwnerOnly.directory(dir);
        } catch (IOException e) {
            throw new SkiffException("skiff.data-dir: cannot create " + dir + " as an owner-only (700) directory: "
                    + e.getMessage(), e);
        }
    }
}
