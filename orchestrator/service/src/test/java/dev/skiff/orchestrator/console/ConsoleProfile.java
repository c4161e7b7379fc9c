package dev.skiff.orchestrator.console;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The embedded default (no authentication, local processes) with a job directory and data directory of its own,
 * so the runs the browser starts and the schedule it pauses touch no other test.
 */
public class ConsoleProfile implements QuarkusTestProfile {

    static final String GREET = """
            name: greet
            description: Says hello to a name given as a parameter
            owner: data-team
            image: example/greet:1
            command: ["sh", "-c", "echo hello $WHO$PUNCTUATION; echo done"]
            parameters:
              WHO: {required: true, description: who to greet}
              PUNCTUATION: {default: "!"}
            """;
    static final String NIGHTLY = """
            name: nightly
            description: Runs every night at 02:30 Berlin time
            owner: data-team
            image: example/nightly:1
            command: ["true"]
            triggers:
              schedules:
                - cron: "30 2 * * *"
                  timezone: Europe/Berlin
            notify:
              failed: ["https://hooks.example.com/services/T000/B000/secret-token"]
            """;
    static final String PIPELINE = """
            name: mini-etl
            owner: data-team
            image: example/etl:1
            command: ["sh", "-c"]
            steps:
              - name: first
                args: ["echo '{\\"parts\\": [\\"a\\", \\"b\\", \\"c\\"]}' > $SKIFF_OUTPUT"]
              - name: each
                dependsOn: [first]
                forEach: {items: $.steps.first.output.parts, maxConcurrency: 2}
                args: ["echo item $SKIFF_ITEM"]
              - name: last
                dependsOn: [each]
                args: ["echo finished"]
            """;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Directories.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    /** The three jobs above. */
    public static class Directories extends JobDirectory {

        @Override
        Map<String, String> specs() {
            return Map.of("greet", GREET, "nightly", NIGHTLY, "mini-etl", PIPELINE);
        }
    }
}
