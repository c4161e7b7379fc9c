package dev.skiff.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RunIdsTest {

    private static final Instant FIRE = Instant.parse("2024-01-01T02:00:00Z");
    private static final String LONGEST_JOB = "a23456789-123456789-123456789-123456789-12345678";

    /** Returns fixed bits, so a ULID's random part is a known vector. */
    private static final RandomGenerator FIXED = new RandomGenerator() {
        @Override
        public int nextInt() {
            return 0x1234;
        }

        @Override
        public long nextLong() {
            return 0x0123456789ABCDEFL;
        }
    };

    @Test
    void shouldFormatFireTimeInUtcWhenRunIsCron() {
        // Given: 02:00 in Paris is 01:00 UTC in winter
        var fire = Instant.parse("2024-01-15T01:00:00.750Z");

        // When
        String id = RunIds.cron("nightly-load", fire);

        // Then: sub-seconds dropped
        assertThat(id).isEqualTo("nightly-load-c-20240115T010000");
    }

    @Test
    void shouldNameTheFireTimeAsTheFormatterDoesFromYear1000To9999AndBeyond() {
        var formatter = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(java.time.ZoneOffset.UTC);
        var random = new SplittableRandom(16);
        List<Instant> fires = new java.util.ArrayList<>(List.of(Instant.parse("1000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("0999-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("2024-02-29T23:59:59.500Z"), Instant.parse("1970-01-01T00:00:00Z")));
        for (int i = 0; i < 10_000; i++) {
            fires.add(Instant.ofEpochSecond(random.nextLong(-30_610_224_000L, 253_402_300_800L), random.nextInt(1_000_000_000)));
        }
        for (Instant fire : fires) {
            assertThat(RunIds.cron("etl", fire)).as(fire.toString()).isEqualTo("etl-c-" + formatter.format(fire));
        }
    }

    @Test
    void shouldHashSourceAndIdWithNewlineWhenRunIsEvent() {
        // Given / When
        String id = RunIds.event("ingest", "aws.s3", "evt-123");

        // Then: sha256("aws.s3\nevt-123")
        assertThat(id).isEqualTo("ingest-e-2f5d9d1d3144f6f09040");
    }

    @Test
    void shouldTellSourceAndIdApartWhenConcatenationsWouldCollide() {
        // Given / When / Then
        assertThat(RunIds.event("ingest", "ab", "c")).isNotEqualTo(RunIds.event("ingest", "a", "bc"));
    }

    @Test
    void shouldHashKeyWhenRunHasIdempotencyKey() {
        // Given / When / Then: sha256("order-42")
        assertThat(RunIds.idempotencyKey("billing", "order-42")).isEqualTo("billing-k-3bf8b157c4238eefe5ae");
    }

    @Test
    void shouldGiveSameIdWhenSameInputsRepeat() {
        // Given / When / Then: this is what makes two replicas start one run
        assertThat(RunIds.cron("etl", FIRE)).isEqualTo(RunIds.cron("etl", FIRE));
        assertThat(RunIds.event("etl", "src", "1")).isEqualTo(RunIds.event("etl", "src", "1"));
        assertThat(RunIds.idempotencyKey("etl", "k")).isEqualTo(RunIds.idempotencyKey("etl", "k"));
        assertThat(RunIds.manual("etl", FIRE, new SplittableRandom(7)))
                .isEqualTo(RunIds.manual("etl", FIRE, new SplittableRandom(7)));
    }

    @Test
    void shouldEncodeUlidWhenRunIsManual() {
        // Given / When
        String id = RunIds.manual("etl", Instant.parse("2024-01-01T00:00:00Z"), FIXED);

        // Then: 1704067200000 ms, then the 80 bits 0x1234_0123456789ABCDEF
        assertThat(id).isEqualTo("etl-m-01HK153X0028T028T5CY4TQKFF");
    }

    @Test
    void shouldSortManualIdsByTimeWhenStartedLater() {
        // Given: a random part that would sort the other way
        var random = new SplittableRandom(42);
        String earlier = RunIds.manual("etl", FIRE, FIXED);
        String later = RunIds.manual("etl", FIRE.plusMillis(1), random);
        String muchLater = RunIds.manual("etl", FIRE.plusSeconds(86_400 * 365L), random);

        // When
        var sorted = List.of(muchLater, earlier, later).stream().sorted().toList();

        // Then
        assertThat(sorted).containsExactly(earlier, later, muchLater);
    }

    @Test
    void shouldStayWithinEightyCharactersWhenJobNameHasFortyEightCharacters() {
        // Given
        assertThat(LONGEST_JOB).hasSize(48);

        // When
        var ids = List.of(
                RunIds.cron(LONGEST_JOB, FIRE),
                RunIds.event(LONGEST_JOB, "a".repeat(500), "b".repeat(500)),
                RunIds.idempotencyKey(LONGEST_JOB, "k".repeat(1000)),
                RunIds.manual(LONGEST_JOB, FIRE, new SplittableRandom(1)));

        // Then
        assertThat(ids).allSatisfy(id -> {
            assertThat(id).hasSizeLessThanOrEqualTo(80);
            assertThat(RunIds.isValid(id)).isTrue();
            assertThat(RunIds.jobOf(id)).isEqualTo(LONGEST_JOB);
        });
    }

    @Test
    void shouldRecoverJobWhenJobNameContainsDashes() {
        // Given / When / Then
        assertThat(RunIds.jobOf("nightly-load-c-20240115T010000")).isEqualTo("nightly-load");
        assertThat(RunIds.jobOf("a-m-b-e-2f5d9d1d3144f6f09040")).isEqualTo("a-m-b");
    }

    @Test
    void shouldRejectJobOfWhenTextIsNotARunId() {
        // Given / When / Then
        for (String bad : List.of("nightly", "nightly-x-20240115T010000", "nightly-c-2024", "-c-20240115T010000",
                "Nightly-c-20240115T010000", "etl-e-2F5D9D1D3144F6F09040", "etl-m-01HK153X0028T028T5CY4TQKFU")) {
            assertThatThrownBy(() -> RunIds.jobOf(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldRejectWhenRunIdIsTooLongOrHasOtherCharacters() {
        // Given / When / Then
        assertThat(RunIds.isValid("a".repeat(80))).isTrue();
        assertThat(RunIds.isValid("a".repeat(81))).isFalse();
        assertThat(RunIds.isValid("etl_run-1")).isTrue();
        assertThat(RunIds.isValid("etl run")).isFalse();
        assertThat(RunIds.isValid("etl.run")).isFalse();
        assertThat(RunIds.isValid("")).isFalse();
        assertThat(RunIds.isValid(null)).isFalse();
    }

    @Test
    void shouldRejectJobNameWhenOutsideTheJobAlphabet() {
        // Given / When / Then
        assertThatThrownBy(() -> RunIds.cron("Nightly", FIRE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunIds.cron(LONGEST_JOB + "x", FIRE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunIds.cron("", FIRE)).isInstanceOf(IllegalArgumentException.class);
    }
}
