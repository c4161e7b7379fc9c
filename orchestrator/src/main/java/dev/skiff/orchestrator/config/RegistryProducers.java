package dev.skiff.orchestrator.config;

import dev.skiff.orchestrator.adapter.local.DirectoryJobSource;
import dev.skiff.orchestrator.adapter.s3.S3JobSource;
import dev.skiff.orchestrator.adapter.s3.S3Location;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.JobRegistrar;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.port.JobRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The job registry named by {@code skiff.jobs.location}: {@code s3://bucket/prefix/} is the S3 registry (AWS
 * mode), anything else a directory (the embedded default). The S3 client is built only for the former.
 */
@ApplicationScoped
public class RegistryProducers {

    @Produces
    @Singleton
    JobRegistry jobRegistry(SkiffConfig config, JobCatalog catalog, Instance<AwsConfig> aws) {
        String location = config.jobs().location();
        if (S3Location.isS3(location)) {
            S3Client s3 = AwsClientProducers.configured(S3Client.builder(), aws.get())
                    // emulators serve buckets by path, not as host names
                    .forcePathStyle(aws.get().endpoint().isPresent() || System.getenv("AWS_ENDPOINT_URL") != null)
                    .build();
            return new S3JobSource(s3, S3Location.parse(location), catalog);
        }
        return new DirectoryJobSource(Path.of(location), catalog);
    }

    @Produces
    @Singleton
    JobRegistrar registrar(JobRegistry registry, JobCatalog catalog, TeamAuthorizer authorizer) {
        return new JobRegistrar(registry, catalog, authorizer);
    }
}
