package dev.skiff.orchestrator.events;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** The embedded service with an empty job directory of its own: the run-event tests put the jobs they chain. */
public class RunEventsProfile implements QuarkusTestProfile {

    /** A data directory and a job directory made for this profile's application. */
    public static class Directories implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                return Map.of("skiff.data-dir", Files.createTempDirectory("skiff-events-test-").toString(),
                        "skiff.jobs.location", Files.createTempDirectory("skiff-events-jobs-").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
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
