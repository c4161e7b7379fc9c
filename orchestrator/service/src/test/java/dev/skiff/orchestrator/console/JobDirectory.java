package dev.skiff.orchestrator.console;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fresh data directory and a job directory holding {@link #specs()}, for a console test application of its own. */
abstract class JobDirectory implements QuarkusTestResourceLifecycleManager {

    /** File name (without .yaml) to spec. */
    abstract Map<String, String> specs();

    @Override
    public Map<String, String> start() {
        try {
            Path jobs = Files.createTempDirectory("skiff-console-jobs-");
            for (var spec : specs().entrySet()) {
                Files.writeString(jobs.resolve(spec.getKey() + ".yaml"), spec.getValue());
            }
            return Map.of("skiff.data-dir", Files.createTempDirectory("skiff-console-data-").toString(),
                    "skiff.jobs.location", jobs.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
