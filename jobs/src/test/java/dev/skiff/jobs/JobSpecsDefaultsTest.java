package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobSpecsDefaultsTest {

    @Test
    void shouldApplyEveryDefaultWhenOptionalFieldsAreOmitted() {
        // Given the smallest valid spec
        // When it is parsed
        var spec = SpecFixtures.parseMinimalWith("");

        // Then every optional field holds its documented default
        assertThat(spec.description()).isEmpty();
        assertThat(spec.args()).isEmpty();
        assertThat(spec.environment()).isEmpty();
        assertThat(spec.secrets()).isEmpty();
        assertThat(spec.resources()).isEqualTo(new Resources(256, 512, 21, Architecture.X86_64));
        assertThat(spec.capacity()).isEqualTo(Capacity.SPOT_FIRST);
        assertThat(spec.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.retries()).isEqualTo(new RetryPolicy(2, Duration.ofSeconds(30), 2.0, Duration.ofMinutes(10),
                Set.of(FailureKind.START_FAILURE, FailureKind.LOST), Set.of()));
        assertThat(spec.parameters()).isEmpty();
        assertThat(spec.tags()).isEmpty();
        assertThat(spec.triggers()).isEqualTo(Triggers.none());
    }

    @Test
    void shouldDefaultMemoryToSmallestForCpuWhenMemoryIsOmitted() {
        var spec = SpecFixtures.parseMinimalWith("resources:\n  cpu: 4096\n");
        assertThat(spec.resources().memory()).isEqualTo(8192);
    }

    @Test
    void shouldApplyScheduleDefaultsWhenOnlyCronIsGiven() {
        var spec = SpecFixtures.parseMinimalWith("triggers:\n  schedules:\n    - cron: cron(0 12 ? * 2 *)\n");
        assertThat(spec.triggers().schedules()).containsExactly(new Schedule("cron(0 12 ? * 2 *)", CronSyntax.AWS,
                ZoneId.of("UTC"), MisfirePolicy.LAST, 10, ConcurrencyPolicy.FORBID));
    }

    @Test
    void shouldKeepParameterOrderAndDefaultsWhenParametersAreDeclared() {
        var spec = SpecFixtures.parseMinimalWith("""
                parameters:
                  END_DATE: {required: true}
                  START_DATE: {description: First day, default: "2024-01-01"}
                """);
        assertThat(spec.parameters()).containsExactly(
                new Parameter("END_DATE", "", Optional.empty(), true),
                new Parameter("START_DATE", "First day", Optional.of("2024-01-01"), false));
    }

    @Test
    void shouldStoreCanonicalPatternWhenEventTriggerIsGiven() {
        // Given a pattern written with keys out of order
        var spec = SpecFixtures.parseMinimalWith("triggers:\n  events:\n    - pattern: {source: [a], detail-type: [b]}\n");

        // Then the stored pattern is JSON with sorted keys
        assertThat(spec.triggers().events().get(0).pattern()).isEqualTo("{\"detail-type\":[\"b\"],\"source\":[\"a\"]}");
        assertThat(spec.triggers().events().get(0).parameters()).isEmpty();
    }

    @Test
    void shouldDetectCronSyntaxWhenParsingSchedules() {
        var spec = SpecFixtures.parseMinimalWith("""
                triggers:
                  schedules:
                    - cron: "0 2 * * *"
                    - cron: "0 0 2 * * ?"
                    - cron: "0 0 2 ? * MON 2030"
                    - cron: cron(0 2 * * ? *)
                """);
        assertThat(spec.triggers().schedules()).extracting(Schedule::syntax)
                .containsExactly(CronSyntax.UNIX, CronSyntax.QUARTZ, CronSyntax.QUARTZ, CronSyntax.AWS);
    }
}
