package dev.skiff.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Defaults, requirements and unlaunchable text; and that the common case, a trigger giving exactly what fits, costs no copy. */
class RunParametersTest {

    private static final List<String> NAMES = List.of("A", "B", "C", "D");
    private static final List<String> VALUES = List.of("x", "", "s3://bucket/key", "nul\0here", "lone\uD800", "pair\uD83D\uDE00");

    private static JobSpec job(List<Parameter> parameters) {
        JobSpec base = TestJobs.job(Capacity.SPOT_FIRST, TestJobs.retries(1));
        return new JobSpec(base.name(), base.description(), base.owner(), base.image(), base.command(), base.args(), base.environment(),
                base.secrets(), base.resources(), base.capacity(), base.timeout(), base.retries(), parameters, base.tags(), base.triggers(),
                base.steps(), base.notifications());
    }

    @Test
    void defaultsFillWhatIsNotGivenAndRequiredOnesMustBeThere() {
        JobSpec job = job(List.of(new Parameter("DATE", "the day", Optional.empty(), true),
                new Parameter("MODE", null, Optional.of("full"), false), new Parameter("EXTRA", null, Optional.empty(), false)));

        assertThat(RunParameters.resolve(job, Map.of("DATE", "2026-12-06")).values()).isEqualTo(Map.of("DATE", "2026-12-06", "MODE", "full"));
        assertThat(RunParameters.resolve(job, Map.of()).problems()).containsExactly("parameters.DATE: is required (the day)");
        assertThat(RunParameters.resolve(job, Map.of("DATE", "d", "OTHER", "x")).problems())
                .containsExactly("parameters.OTHER: is not a declared parameter of job etl (declared: DATE, EXTRA, MODE)");
        assertThat(RunParameters.resolve(job, Map.of("DATE", "a\0b")).problems()).containsExactly(
                "parameters.DATE: contains a NUL character (U+0000), which an environment variable cannot carry; the run was not started");
    }

    /** An event trigger gives the values an immutable map holds already: they are the run's values as they are. */
    @Test
    void valuesThatFitAsGivenAreTakenWithoutACopy() {
        JobSpec job = job(List.of(new Parameter("BUCKET", null, Optional.empty(), true), new Parameter("KEY", null, Optional.empty(), true),
                new Parameter("SIZE", null, Optional.empty(), false)));
        Map<String, String> given = Map.of("BUCKET", "landing", "KEY", "a/b.parquet");

        RunParameters.Resolution resolution = RunParameters.resolve(job, given);

        assertThat(resolution.ok()).isTrue();
        assertThat(resolution.values()).isSameAs(given);
    }

    /** The shortcut for values that fit as given answers as the full resolution does, on random declarations and givens. */
    @Test
    void resolvesAsInFullOnRandomInput() {
        SplittableRandom random = new SplittableRandom(20261206L);
        for (int n = 0; n < 20_000; n++) {
            List<Parameter> declared = new ArrayList<>();
            for (String name : NAMES) {
                if (random.nextInt(4) > 0) {
                    declared.add(new Parameter(name, random.nextBoolean() ? "about " + name : null,
                            random.nextInt(3) == 0 ? Optional.of(value(random)) : Optional.empty(), random.nextBoolean()));
                }
            }
            JobSpec job = job(declared);
            Map<String, String> given = new HashMap<>();
            for (String name : List.of("A", "B", "C", "D", "E")) {
                if (random.nextInt(3) > 0) {
                    given.put(name, value(random));
                }
            }
            Map<String, String> asGiven = random.nextBoolean() ? Map.copyOf(given) : given;

            RunParameters.Resolution got = RunParameters.resolve(job, asGiven);
            RunParameters.Resolution want = RunParameters.resolveInFull(job, asGiven);

            assertThat(got.values()).as("values for %s with %s", declared, given).isEqualTo(want.values());
            assertThat(got.problems()).as("problems for %s with %s", declared, given).isEqualTo(want.problems());
            assertThat(got.ok()).isEqualTo(want.ok());
        }
    }

    private static String value(SplittableRandom random) {
        return VALUES.get(random.nextInt(VALUES.size()));
    }
}
