package dev.skiff.orchestrator.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The service the CLI tests talk to: embedded engine, local processes, a fresh data directory and a jobs directory of
 * its own (a job that greets, one that fails, one that sleeps, a scheduled one and a pipeline), without the API tests'
 * global resources.
 */
public class CliServiceProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path jobs = Files.createTempDirectory("skiff-cli-jobs-");
            Files.writeString(jobs.resolve("hello.yaml"), """
                    name: hello
                    owner: test-team
                    image: example/hello:1
                    command: ["sh", "-c", "echo hello $WHO; echo bye $WHO"]
                    parameters:
                      WHO: {required: true}
                    """);
            Files.writeString(jobs.resolve("fails.yaml"), """
                    name: fails
                    owner: test-team
                    image: example/fails:1
                    command: ["sh", "-c", "echo about to fail; exit 3"]
                    """);
            Files.writeString(jobs.resolve("sleepy.yaml"), """
                    name: sleepy
                    owner: test-team
                    image: example/sleepy:1
                    command: ["sleep", "60"]
                    """);
            Files.writeString(jobs.resolve("nightly.yaml"), """
                    name: nightly
                    owner: night-team
                    image: example/nightly:1
                    command: ["true"]
                    triggers:
                      schedules:
                        - cron: "30 2 * * *"
                          timezone: Europe/Berlin
                    """);
            Files.writeString(jobs.resolve("steps.yaml"), """
                    name: steps
                    owner: test-team
                    image: example/etl:1
                    command: ["sh", "-c"]
                    steps:
                      - name: first
                        args: ["echo first step"]
                      - name: second
                        dependsOn: [first]
                        args: ["echo second step"]
                    """);
            return Map.of("skiff.data-dir", Files.createTempDirectory("skiff-cli-data-").toString(),
                    "skiff.jobs.location", jobs.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of();
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
