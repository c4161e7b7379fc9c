package dev.skiff.orchestrator.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** A fresh data directory for each test application, so runs of earlier test runs never resume into this one. */
public class TempDataDir implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            return Map.of("skiff.data-dir", Files.createTempDirectory("skiff-test-").toString(),
                    "skiff.jobs.location", "src/test/resources/jobs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
