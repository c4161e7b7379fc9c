package dev.skiff.orchestrator.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.JobSpecs;
import dev.skiff.orchestrator.port.TaskEnd;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline step's task writes JSON to SKIFF_OUTPUT; the launcher reads it back, checked, when the process ends. */
class ProcessTaskLauncherOutputTest {

    private static final JobSpec PIPELINE = JobSpecs.parse("etl.yaml", """
            name: etl
            owner: team
            image: etl:1
            command: ["sh", "-c"]
            steps:
              - {name: extract}
              - {name: each, dependsOn: [extract], forEach: {items: $.steps.extract.output.parts}}
            """);

    @TempDir
    Path dataDir;

    private ProcessTaskLauncher launcher;
    private final LinkedBlockingQueue<TaskEnd> ends = new LinkedBlockingQueue<>();

    @BeforeEach
    void createLauncher() {
        launcher = new ProcessTaskLauncher(ProcessFixtures.options(dataDir));
    }

    @AfterEach
    void closeLauncher() {
        launcher.close();
    }

    private TaskEnd run(String step, int item, String script) throws InterruptedException {
        launcher.launch(new TaskRequest("etl-k-1", PIPELINE, step, 1, List.of("sh", "-c", script), Map.of(),
                Duration.ofMinutes(1), PIPELINE.capacity(), item), ends::add);
        TaskEnd end = ends.poll(10, TimeUnit.SECONDS);
        assertThat(end).as("an end within 10 s").isNotNull();
        return end;
    }

    @Test
    void shouldReturnTheJsonTheTaskWroteToSkiffOutput() throws Exception {
        TaskEnd end = run("extract", TaskRequest.NO_ITEM, "echo '{\"parts\": [1, 2]}' > \"$SKIFF_OUTPUT\"");

        assertThat(end.outcome()).isEqualTo(new StepOutcome.Succeeded());
        assertThat(end.output()).contains("{\"parts\":[1,2]}");
    }

    @Test
    void shouldKeepEachUnitsFilesApartAndTheirOutputsToo() throws Exception {
        TaskEnd first = run("each", 0, "echo 0 > \"$SKIFF_OUTPUT\"; echo zero");
        TaskEnd second = run("each", 1, "echo 1 > \"$SKIFF_OUTPUT\"; echo one");

        assertThat(first.output()).contains("0");
        assertThat(second.output()).contains("1");
        assertThat(Files.readString(dataDir.resolve("logs/etl-k-1/each-0/attempt-1.log"))).isEqualTo("zero\n");
        assertThat(Files.readString(dataDir.resolve("logs/etl-k-1/each-1/attempt-1.log"))).isEqualTo("one\n");
    }

    @Test
    void shouldFailTheAttemptWithBadOutputWhenTheOutputIsNotJson() throws Exception {
        TaskEnd end = run("extract", TaskRequest.NO_ITEM, "echo 'parts: [1, 2]' > \"$SKIFF_OUTPUT\"");

        assertThat(end.outcome()).isInstanceOfSatisfying(StepOutcome.BadOutput.class,
                bad -> assertThat(bad.reason()).contains("is not JSON"));
        assertThat(end.output()).isEmpty();
    }

    @Test
    void shouldFailTheAttemptWithBadOutputWhenTheOutputIsOver256KiB() throws Exception {
        TaskEnd end = run("extract", TaskRequest.NO_ITEM,
                "printf '\"' > \"$SKIFF_OUTPUT\"; head -c 262144 /dev/zero | tr '\\0' a >> \"$SKIFF_OUTPUT\"; printf '\"' >> \"$SKIFF_OUTPUT\"");

        assertThat(end.outcome()).isInstanceOfSatisfying(StepOutcome.BadOutput.class,
                bad -> assertThat(bad.reason()).contains("262146 bytes").contains("at most 262144"));
    }

    @Test
    void shouldGiveNoOutputWhenTheTaskWroteNone() throws Exception {
        TaskEnd end = run("extract", TaskRequest.NO_ITEM, "true");

        assertThat(end.outcome()).isEqualTo(new StepOutcome.Succeeded());
        assertThat(end.output()).isEmpty();
    }
}
