package dev.skiff.jobs;

import static dev.skiff.jobs.SpecFixtures.SOURCE;
import static dev.skiff.jobs.SpecFixtures.parseMinimalWith;
import static dev.skiff.jobs.SpecFixtures.violationsOf;
import static dev.skiff.jobs.SpecFixtures.violationsOfMinimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Multi-step jobs: the model a spec's steps become, and every rule about them with its exact violation. */
class JobSpecsStepsTest {

    private static final String PIPELINE = """
            name: sales-etl
            owner: team-a
            image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/etl:1.0
            command: ["etl"]
            environment: {STAGE: prod}
            timeout: 30m
            parameters:
              DATE: {required: true}
            steps:
              - name: extract
                args: ["extract"]
              - name: transform
                dependsOn: [extract]
                args: ["transform"]
                resources: {cpu: 1024, memory: 4096}
                forEach:
                  items: $.steps.extract.output.partitions
                  maxConcurrency: 4
                  toleratedFailures: "10%"
                parameters:
                  PARTITION: $.item.name
                  TABLE: $.steps.extract.output.table
                  MODE: full
              - name: load
                dependsOn: [transform]
                image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/loader:2.0
                command: ["load"]
                parameters:
                  DAY: $.parameters.DATE
            """;

    @Test
    void shouldBeTheSingleStepMainWhenTheJobHasNoSteps() {
        // Given a spec without steps / When parsed
        JobSpec job = parseMinimalWith("timeout: 5m\n");

        // Then its one step is main, made of the job's own fields
        assertThat(job.isPipeline()).isFalse();
        assertThat(job.steps()).singleElement().satisfies(step -> {
            assertThat(step.name()).isEqualTo(StepSpec.MAIN);
            assertThat(step.image()).isEqualTo(job.image());
            assertThat(step.commandLine()).isEqualTo(job.commandLine());
            assertThat(step.timeout()).isEqualTo(Duration.ofMinutes(5));
            assertThat(step.retries()).isEqualTo(job.retries());
            assertThat(step.dependsOn()).isEmpty();
            assertThat(step.forEach()).isEmpty();
        });
    }

    @Test
    void shouldBeAPipelineWhenItsOneStepIsNotTheJobItself() {
        assertThat(parseMinimalWith("steps:\n  - {name: main}\n").isPipeline()).isFalse();
        assertThat(parseMinimalWith("steps:\n  - {name: main, timeout: 5m}\n").isPipeline()).isTrue();
        assertThat(parseMinimalWith("steps:\n  - {name: only}\n").isPipeline()).isTrue();
    }

    @Test
    void shouldTakeEachFieldAStepOmitsWholeFromTheJob() {
        // Given the pipeline / When parsed
        JobSpec job = JobSpecs.parse(SOURCE, PIPELINE);

        // Then its steps keep their order, and what a step omits is the job's
        assertThat(job.isPipeline()).isTrue();
        assertThat(job.steps()).map(StepSpec::name).containsExactly("extract", "transform", "load");
        StepSpec extract = job.step("extract").orElseThrow();
        assertThat(extract.commandLine()).containsExactly("etl", "extract");
        assertThat(extract.environment()).isEqualTo(Map.of("STAGE", "prod"));
        assertThat(extract.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(extract.resources()).isEqualTo(job.resources());
        StepSpec transform = job.step("transform").orElseThrow();
        assertThat(transform.dependsOn()).containsExactly("extract");
        assertThat(transform.resources().cpu()).isEqualTo(1024);
        assertThat(transform.resources().memory()).isEqualTo(4096);
        StepSpec load = job.step("load").orElseThrow();
        assertThat(load.image()).endsWith("/loader:2.0");
        assertThat(load.commandLine()).containsExactly("load"); // args are the job's: none
    }

    @Test
    void shouldReadForEachAndParametersAsReferencesWhenTheyStartWithDollarDot() {
        // Given the pipeline / When parsed
        StepSpec transform = JobSpecs.parse(SOURCE, PIPELINE).step("transform").orElseThrow();

        // Then the items come from extract's output, four at a time, 10% may fail
        ForEach forEach = transform.forEach().orElseThrow();
        assertThat(forEach.items()).contains(new ValueRef(ValueRef.Source.STEP_OUTPUT, "extract", List.of("partitions")));
        assertThat(forEach.list()).isEmpty();
        assertThat(forEach.maxConcurrency()).isEqualTo(4);
        assertThat(forEach.tolerated()).isEqualTo(ToleratedFailures.percent(10));
        // And each parameter is a reference or plain text
        assertThat(transform.parameters()).containsEntry("PARTITION",
                new StepValue("$.item.name", Optional.of(new ValueRef(ValueRef.Source.ITEM, "", List.of("name")))));
        assertThat(transform.parameters()).containsEntry("MODE", new StepValue("full", Optional.empty()));
    }

    @Test
    void shouldDefaultForEachToTenAtOnceAndNoFailureTolerated() {
        // Given a forEach over a parameter with nothing else said
        JobSpec job = parseMinimalWith("""
                parameters:
                  DATES: {default: '["2026-01-01"]'}
                steps:
                  - name: day
                    forEach: {items: $.parameters.DATES}
                """);

        // Then
        ForEach forEach = job.steps().get(0).forEach().orElseThrow();
        assertThat(forEach.maxConcurrency()).isEqualTo(10);
        assertThat(forEach.tolerated()).isEqualTo(ToleratedFailures.NONE);
        assertThat(forEach.tolerated().tolerates(0, 5)).isTrue();
        assertThat(forEach.tolerated().tolerates(1, 5)).isFalse();
    }

    @Test
    void shouldCountToleratedFailuresAsStepFunctionsDoes() {
        assertThat(ToleratedFailures.percent(10).tolerates(1, 10)).isTrue();
        assertThat(ToleratedFailures.percent(10).tolerates(2, 10)).isFalse();
        assertThat(ToleratedFailures.count(2).tolerates(2, 3)).isTrue();
        assertThat(ToleratedFailures.count(2).tolerates(3, 3)).isFalse();
    }

    @Test
    void shouldNameTheCycleWhenStepsWaitForEachOther() {
        // Given a -> b -> c -> a, and d waiting on the cycle
        var violations = violationsOfMinimalWith("""
                steps:
                  - {name: a, dependsOn: [b]}
                  - {name: b, dependsOn: [c]}
                  - {name: c, dependsOn: [a]}
                  - {name: d, dependsOn: [a]}
                """);

        // Then the cycle is reported once, at its first step, in the order the steps wait
        assertThat(violations).containsExactly(SOURCE + ": steps[0].dependsOn: [\"b\"] makes a cycle: a -> b -> c -> a"
                + " (each waits for the next; steps must form a graph without cycles)");
    }

    @Test
    void shouldReportUnknownSelfAndDuplicateStepsAllAtOnce() {
        var violations = violationsOfMinimalWith("""
                steps:
                  - {name: extract}
                  - {name: load, dependsOn: [extrakt, load]}
                  - {name: extract}
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": steps[1].dependsOn[0]: extrakt is not a step of this job (steps: extract, load)",
                SOURCE + ": steps[1].dependsOn[1]: load is the step itself (a step cannot wait for itself)",
                SOURCE + ": steps[2].name: extract is also the name of steps[0] (step names are unique in a job)");
    }

    @Test
    void shouldRequireAnImageAndACommandFromTheStepOrTheJob() {
        // Given a job with no image or command of its own, and a step that names neither
        var violations = violationsOf("""
                name: demo
                owner: team-a
                steps:
                  - {name: ok, image: "etl:1", command: [run]}
                  - {name: bare}
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": steps[1].image: is required: neither the step nor the job names an image",
                SOURCE + ": steps[1].command: is required: neither the step nor the job names a command");
    }

    @Test
    void shouldCheckAStepsOwnContainerFieldsWithTheJobsRulesAtTheStepsPath() {
        // Given a step with a memory that does not fit its cpu, a secret of another team and a reserved variable
        var violations = violationsOfMinimalWith("""
                steps:
                  - name: load
                    resources: {cpu: 1024, memory: 16384}
                    timeout: 8d
                    environment: {SKIFF_X: "1"}
                    secrets:
                      TOKEN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:skiff/team-b/token
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": steps[0].resources.memory: 16384 is not valid with cpu 1024 (allowed 2048-8192 in steps of 1024)",
                SOURCE + ": steps[0].timeout: 8d must be between 1s and 7d",
                SOURCE + ": steps[0].environment.SKIFF_X: SKIFF_X must not start with SKIFF_ (reserved for variables Skiff sets)",
                SOURCE + ": steps[0].secrets.TOKEN: arn:… must name a secret of the owner team-a: a Secrets Manager"
                        + " secret named skiff/team-a/<name> (arn:aws:secretsmanager:<region>:<account>:secret:skiff/team-a/<name>)"
                        + " or an SSM parameter under /skiff/team-a/ (arn:aws:ssm:<region>:<account>:parameter/skiff/team-a/<name>);"
                        + " only the owner's execution role can read them");
    }

    @Test
    void shouldNeverEchoAStepsSecretValueWhenItIsNotAnArn() {
        // Given secret values pasted into a step: text, and a number the schema refuses
        var violations = violationsOfMinimalWith("""
                steps:
                  - name: load
                    secrets: {TOKEN: "hunter2-very-secret", PIN: 987654321}
                """);

        // Then neither value is shown whole
        assertThat(violations).hasSize(2).noneMatch(v -> v.contains("hunter2-very-secret") || v.contains("987654321"));
    }

    @Test
    void shouldReportAJobFieldOnceWhenStepsTakeIt() {
        // Given a job whose own timeout is invalid, taken by two steps
        var violations = violationsOfMinimalWith("timeout: 8d\nsteps:\n  - {name: a}\n  - {name: b}\n");

        assertThat(violations).containsExactly(SOURCE + ": timeout: 8d must be between 1s and 7d");
    }

    @Test
    void shouldRefuseReferencesToWhatAStepCannotRead() {
        var violations = violationsOfMinimalWith("""
                parameters:
                  DATE: {default: "2026-01-01"}
                steps:
                  - name: extract
                  - name: side
                  - name: load
                    dependsOn: [extract]
                    parameters:
                      A: $.steps.side.output.table
                      B: $.parameters.DAY
                      C: $.item.name
                      D: $.steps.extract.outputs
                      E: $.steps.extract.output.rows
                      F: $.parameters.DATE
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": steps[2].parameters.A: $.steps.side.output.table reads the output of step side, which is not"
                        + " upstream of step load (list it, or a step after it, in dependsOn)",
                SOURCE + ": steps[2].parameters.B: $.parameters.DAY names run parameter DAY, which the job does not declare"
                        + " under parameters",
                SOURCE + ": steps[2].parameters.C: $.item.name reads the item, but step load has no forEach",
                SOURCE + ": steps[2].parameters.D: $.steps.extract.outputs is not a reference Skiff knows ("
                        + ValueRef.SYNTAX + ")");
    }

    @Test
    void shouldRefuseTheOutputOfAStepThatRunsOncePerItem() {
        var violations = violationsOfMinimalWith("""
                parameters:
                  DAYS: {default: "[]"}
                steps:
                  - {name: each, forEach: {items: $.parameters.DAYS}}
                  - {name: after, dependsOn: [each], parameters: {X: $.steps.each.output.rows}}
                """);

        assertThat(violations).containsExactly(SOURCE + ": steps[1].parameters.X: $.steps.each.output.rows reads the"
                + " output of step each, which runs once per item: each item's output is its own, and no single one is"
                + " the step's");
    }

    @Test
    void shouldReadOutputsOfStepsUpstreamThroughOthers() {
        // Given c waits on b, which waits on a: c may read a's output
        assertThat(violationsOfMinimalWith("""
                steps:
                  - {name: a}
                  - {name: b, dependsOn: [a]}
                  - {name: c, dependsOn: [b], parameters: {X: $.steps.a.output.x}}
                """)).isEmpty();
    }

    @Test
    void shouldRefuseAForEachWithoutExactlyOneSourceOrWithABadTolerance() {
        var violations = violationsOfMinimalWith("""
                parameters:
                  DAYS: {default: "[]"}
                steps:
                  - name: both
                    forEach: {items: $.parameters.DAYS, list: "s3://bucket/in/"}
                  - name: neither
                    forEach: {maxConcurrency: 2}
                  - name: odd
                    forEach: {items: $.item, toleratedFailures: "150%"}
                  - name: bucket
                    forEach: {list: "s3://B/x", toleratedFailures: -1}
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": steps[0].forEach: must take its items from exactly one of items (a run parameter or a step's"
                        + " output) and list (an S3 prefix or a local directory)",
                SOURCE + ": steps[1].forEach: must take its items from exactly one of items (a run parameter or a step's"
                        + " output) and list (an S3 prefix or a local directory)",
                SOURCE + ": steps[2].forEach.items: $.item cannot be the items themselves (items come from a run parameter"
                        + " or a step's output)",
                SOURCE + ": steps[2].forEach.toleratedFailures: 150% must be a count of items (0 or more) or a share of"
                        + " them (0% to 100%)",
                SOURCE + ": steps[3].forEach.list: s3://B/x is not an S3 prefix (s3://bucket/prefix/)",
                SOURCE + ": steps[3].forEach.toleratedFailures: -1 must be a count of items (0 or more) or a share of"
                        + " them (0% to 100%)");
    }

    @Test
    void shouldKeepStepParameterNamesApartFromEveryOtherVariable() {
        var violations = violationsOfMinimalWith("""
                environment: {REGION: eu-west-1}
                parameters:
                  DATE: {default: "2026-01-01"}
                steps:
                  - name: load
                    parameters:
                      REGION: x
                      DATE: y
                      SKIFF_ITEM: z
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": steps[0].parameters.REGION: REGION is also set by the step's environment (each variable name"
                        + " may come from one place)",
                SOURCE + ": steps[0].parameters.DATE: DATE is also a run parameter of the job, which every step receives"
                        + " (each variable name may come from one place)",
                SOURCE + ": steps[0].parameters.SKIFF_ITEM: SKIFF_ITEM must not start with SKIFF_ (reserved for variables"
                        + " Skiff sets)");
    }

    @Test
    void shouldCapTheStepsAtAHundredAndRefuseARepeatedDependency() {
        // Given 101 steps, the second listing its dependency twice
        var steps = new StringBuilder("steps:\n  - {name: s0}\n  - {name: s1, dependsOn: [s0, s0]}\n");
        for (int i = 2; i <= 100; i++) {
            steps.append("  - {name: s").append(i).append("}\n");
        }

        assertThat(violationsOfMinimalWith(steps.toString())).containsExactlyInAnyOrder(
                SOURCE + ": steps: must have at most 100 items (has 101)",
                SOURCE + ": steps[1].dependsOn: [\"s0\",\"s0\"] must not list the same value twice");
    }

    @Test
    void shouldAnswerStructuralProblemsOfStepsAtTheirPaths() {
        var violations = violationsOfMinimalWith("""
                steps:
                  - name: Load_It
                    gpu: 1
                    forEach: {list: "/data", maxConcurrency: 41}
                """);

        assertThat(violations).containsExactlyInAnyOrder(
                SOURCE + ": steps[0].name: Load_It must be lowercase letters, digits and '-', starting with a letter and"
                        + " ending with a letter or digit",
                SOURCE + ": steps[0].gpu: is not a known field (known: args, capacity, command, dependsOn, environment,"
                        + " forEach, image, name, parameters, resources, retries, secrets, timeout)",
                SOURCE + ": steps[0].forEach.maxConcurrency: 41 must be at most 40");
    }
}
