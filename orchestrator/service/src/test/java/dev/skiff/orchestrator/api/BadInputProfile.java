package dev.skiff.orchestrator.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The embedded service with a job directory of its own (copies of the test jobs greet, on-upload and nightly), so that the
 * hostile PUTs of the bad-input and fuzz tests change nothing the other tests read.
 */
public class BadInputProfile implements QuarkusTestProfile {

    /**
     * A data directory and a job directory made for a profile's application, holding copies of the test jobs named in
     * the argument {@value #COPY} (comma-separated file names; none when absent).
     */
    public static class Directories implements QuarkusTestResourceLifecycleManager {

        public static final String COPY = "copy";
        private List<String> copies = List.of();

        @Override
        public void init(Map<String, String> args) {
            String copy = args.getOrDefault(COPY, "");
            copies = copy.isBlank() ? List.of() : List.of(copy.split(","));
        }

        @Override
        public Map<String, String> start() {
            try {
                Path jobs = Files.createTempDirectory("skiff-input-jobs-");
                for (String job : copies) {
                    Files.copy(Path.of("src/test/resources/jobs", job), jobs.resolve(job));
                }
                return Map.of("skiff.data-dir", Files.createTempDirectory("skiff-input-test-").toString(),
                        "skiff.jobs.location", jobs.toString());
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
        return List.of(new TestResourceEntry(Directories.class, Map.of(Directories.COPY, "greet.yaml,on-upload.yaml,nightly.yaml")));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
