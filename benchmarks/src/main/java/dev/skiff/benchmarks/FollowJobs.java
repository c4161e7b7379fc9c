package dev.skiff.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The follow benchmarks' two no-op jobs, in a directory registry: {@code up}, and {@code down}, which follows it
 * ({@code triggers.after}) with the upstream's {@code N} and run id as its parameters, so each downstream run names
 * the upstream run that started it.
 */
final class FollowJobs {

    private FollowJobs() {
    }

    /** Writes both specs ({@code <name>.yaml}) into the directory. */
    static void write(Path directory, String up, String down) throws IOException {
        Files.writeString(directory.resolve(up + ".yaml"), """
                name: %s
                owner: bench
                image: example/noop:1
                command: ["true"]
                parameters: {N: {required: true}}
                """.formatted(up));
        Files.writeString(directory.resolve(down + ".yaml"), """
                name: %s
                owner: bench
                image: example/noop:1
                command: ["true"]
                parameters: {N: {required: true}, UPSTREAM: {required: true}}
                triggers:
                  after:
                    - job: %s
                      parameters: {N: $.detail.parameters.N, UPSTREAM: $.detail.runId}
                """.formatted(down, up));
    }
}
