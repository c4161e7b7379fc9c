package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.local.CheckerVersion;
import dev.skiff.orchestrator.adapter.local.DirectoryJobSource;
import dev.skiff.orchestrator.adapter.local.SpecCacheFile;
import dev.skiff.orchestrator.adapter.s3.S3JobSource;
import dev.skiff.orchestrator.adapter.s3.S3Location;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.JobRegistrar;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.port.CheckedSpecCache;
import dev.skiff.orchestrator.port.JobRegistry;
import dev.skiff.orchestrator.port.TaskLauncher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The job registry named by {@code skiff.jobs.location}: {@code s3://bucket/prefix/} is the S3 registry (AWS
 * mode), anything else a directory (the embedded default). The S3 client is built only for the former.
 */
@ApplicationScoped
class RegistryProducers {

    @Produces
    @Singleton
    JobRegistry jobRegistry(SkiffConfig config, StepFunctionsConfig sfn, JobCatalog catalog, Instance<AwsClients> aws,
                            SkiffMode mode, Clock clock) {
        return s3Registry(config).<JobRegistry>map(at -> new S3JobSource(aws.get().s3(), at, catalog, mode.runsPipelines(),
                        config.jobs().fullListInterval(), clock, registrySnapshot(config, sfn)))
                .orElseGet(() -> new DirectoryJobSource(Path.of(config.jobs().location()), catalog, mode.runsPipelines(),
                        config.jobs().fullListInterval(), specCache(config)));
    }

    /** The spec cache's file in the data directory. */
    static final String SPEC_CACHE_FILE = "spec-cache.bin";

    /**
     * How long at least between two writes of the spec cache after the first. Writing 100,000 entries costs a few
     * hundred milliseconds, a change well under five; a restart before the next write only checks again the specs
     * changed meanwhile.
     */
    static final Duration SPEC_CACHE_WRITE_EVERY = Duration.ofMinutes(15);

    private static CheckedSpecCache specCache(SkiffConfig config) {
        if (!config.jobs().specCache()) {
            return CheckedSpecCache.NONE;
        }
        Path file = AdapterProducers.dataDirectory(config).resolve(SPEC_CACHE_FILE);
        return SpecCacheFile.open(file, CheckerVersion.current(), SPEC_CACHE_WRITE_EVERY);
    }

    /**
     * The S3 registry's snapshot of checked specs ({@code <prefix>.skiff/registry-snapshot}), signed with a key derived
     * from the newest of {@code skiff.sfn.token-keys}: the secret every replica of AWS mode shares and no spec writer
     * holds. Without token keys (the embedded engine reading specs from S3) there is no snapshot; nor with
     * {@code skiff.jobs.spec-cache=false}.
     */
    static Optional<S3JobSource.SnapshotSettings> registrySnapshot(SkiffConfig config, StepFunctionsConfig sfn) {
        if (!config.jobs().specCache()) {
            return Optional.empty();
        }
        return sfn.tokenKeys().filter(keys -> !keys.isEmpty()).map(keys -> new S3JobSource.SnapshotSettings(keys.get(0),
                CheckerVersion.current(), SPEC_CACHE_WRITE_EVERY));
    }

    /** The S3 prefix of the job registry, when it is one; AWS mode keeps pauses and task records beside the specs there. */
    static Optional<S3Location> s3Registry(SkiffConfig config) {
        String location = config.jobs().location();
        return S3Location.isS3(location) ? Optional.of(S3Location.parse(location)) : Optional.empty();
    }

    @Produces
    @Singleton
    JobRegistrar registrar(JobRegistry registry, JobCatalog catalog, TeamAuthorizer authorizer, TaskLauncher launcher,
                           SkiffMode mode) {
        return new JobRegistrar(registry, catalog, authorizer, launcher, mode.runsPipelines());
    }

    /**
     * Where multi-step jobs run: the embedded engine with the process launcher (the Fargate launcher does not hand the
     * engine the tasks' outputs yet), and AWS mode with an S3 registry (the steps' outputs are kept beside the specs).
     * Elsewhere they are refused with the reason.
     */
    static boolean runsPipelines(SkiffConfig config, ModeChoice mode) {
        return switch (mode.engine()) {
            case EMBEDDED -> mode.launcher() == ModeChoice.Launcher.PROCESS;
            case STEP_FUNCTIONS -> s3Registry(config).isPresent();
        };
    }
}
