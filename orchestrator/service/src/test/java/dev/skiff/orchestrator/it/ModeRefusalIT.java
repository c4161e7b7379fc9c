package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged service refuses a runtime its configuration cannot run, with one line naming every wrong key. */
class ModeRefusalIT {

    @TempDir
    Path work;

    @Test
    void shouldRefuseTheProcessLauncherUnderStepFunctionsNamingWhatIsAllowed() throws Exception {
        // Given / When the service is started on Step Functions with local processes
        String refusal = refusal(Map.of("skiff.engine", "stepfunctions", "skiff.launcher", "process"));

        // Then the one line names the key, the value and the rule
        assertThat(refusal).endsWith("Refusing to start: skiff.launcher: 'process' cannot run with"
                + " skiff.engine=stepfunctions (allowed there: fargate; Step Functions mode learns of tasks' ends from ECS events)");
    }

    @Test
    void shouldRefuseStepFunctionsWithoutItsKeysNamingEachInOneLine() throws Exception {
        // Given / When the service is started on Step Functions and Fargate with none of their keys
        String refusal = refusal(Map.of("skiff.engine", "stepfunctions", "skiff.launcher", "fargate"));

        // Then one line names every missing key
        assertThat(refusal).contains("Refusing to start: skiff.sfn.role-arn: required with skiff.engine=stepfunctions",
                "; skiff.sfn.dispatch-queue-url: required", "; skiff.sfn.task-events-queue-url: required",
                "; skiff.sfn.token-keys: required", "; skiff.fargate.subnets: required with skiff.launcher=fargate");
    }

    /** Starts the service, expects it to exit by itself, and returns its one refusal line. */
    private String refusal(Map<String, String> config) throws Exception {
        Path log = work.resolve("service.log");
        int exit = ServiceProcess.exitCode(Files.createDirectories(work.resolve("data")),
                Files.createDirectories(work.resolve("jobs")), log, config);
        assertThat(exit).isNotZero();
        var refusals = Files.readAllLines(log).stream().filter(line -> line.contains("Refusing to start")).toList();
        assertThat(refusals).as(Files.readString(log)).hasSize(1);
        assertThat(Files.readString(log)).doesNotContain("Skiff is up");
        return refusals.get(0);
    }
}
