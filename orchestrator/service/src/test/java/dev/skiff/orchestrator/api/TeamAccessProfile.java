package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.app.TeamAuthorizer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The service with API keys for two teams, {@code analytics} and {@code billing}, and a job directory of its
 * own holding one job of each, so that PUT and DELETE change nothing of the other tests.
 */
public class TeamAccessProfile implements QuarkusTestProfile {

    static final String ANALYTICS_KEY = "analytics-key-5f1c0e7a9b2d4c6e8f0a1b3c5d7e9f10";
    static final String BILLING_KEY = "billing-key-0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";

    static Path jobs;

    static String spec(String name, String owner, String image) {
        return """
                name: %s
                owner: %s
                image: %s
                command: ["sleep", "30"]
                """.formatted(name, owner, image);
    }

    /** A job of {@code owner} that runs when an event from {@code source} arrives. */
    static String eventJob(String name, String owner, String source) {
        return """
                name: %s
                owner: %s
                image: example/%s:1
                command: ["true"]
                triggers:
                  events:
                    - pattern:
                        source: ["%s"]
                """.formatted(name, owner, name, source);
    }

    /** A data directory and a job directory made for this profile's application. */
    public static class Directories implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                jobs = Files.createTempDirectory("skiff-access-jobs-");
                Files.writeString(jobs.resolve("analytics-etl.yaml"), spec("analytics-etl", "analytics", "example/etl:1"));
                Files.writeString(jobs.resolve("invoices.yaml"), spec("invoices", "billing", "example/invoices:1"));
                // Both teams listen to one custom source; billing also to S3, as the example s3-ingest does.
                Files.writeString(jobs.resolve("analytics-on-report.yaml"),
                        eventJob("analytics-on-report", "analytics", "shared.reports"));
                Files.writeString(jobs.resolve("billing-on-report.yaml"),
                        eventJob("billing-on-report", "billing", "shared.reports"));
                Files.writeString(jobs.resolve("billing-on-upload.yaml"),
                        eventJob("billing-on-upload", "billing", "aws.s3"));
                return Map.of("skiff.data-dir", Files.createTempDirectory("skiff-access-test-").toString(),
                        "skiff.jobs.location", jobs.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
        }
    }

    /** Analytics' key comes from the configuration, billing's from a key file; one log follower per team. */
    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path keyFile = Files.createTempFile("skiff-api-keys-", ".txt");
            Files.writeString(keyFile, "# team keys\n" + TeamAuthorizer.sha256Hex(BILLING_KEY) + " billing\n");
            return Map.of("skiff.logs.max-followers-per-team", "1",
                    "skiff.auth.mode", "api-keys",
                    "skiff.auth.api-keys.\"" + TeamAuthorizer.sha256Hex(ANALYTICS_KEY) + "\"", "analytics",
                    "skiff.auth.api-keys-file", keyFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Directories.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
