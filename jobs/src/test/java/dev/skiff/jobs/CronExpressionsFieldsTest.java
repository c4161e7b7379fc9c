package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fields are counted as splitting the stripped expression on regex whitespace counts them, and dialects follow. */
class CronExpressionsFieldsTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "0 2 * * *", "  0 2 * * *  ", "0\t2 *\n*  *", "0 0 12 ? * MON",
            "0 0 12 ? * MON 2030", "0\u000B2\f*\r* *", "0\u20032 * * *", "0\u00A02 * * * *", "\u2003 0 2 * * * \u2003",
            "cron(0 12 * * ? *)", "a  b   c    d     e      f"})
    void shouldCountTheFieldsAsSplittingOnRegexWhitespaceDoes(String expression) {
        int bySplit = expression.isBlank() ? 0 : expression.strip().split("\\s+").length;

        assertThat(CronExpressions.fields(expression)).as("fields of [%s]", expression).isEqualTo(bySplit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 2 * * *", " 0 2 * * * ", "0\t2\t*\t*\t*"})
    void shouldTakeFiveFieldsForUnix(String expression) {
        assertThat(CronExpressions.detect(expression)).isEqualTo(CronSyntax.UNIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 12 ? * MON", "0\t0 12 ? *  MON 2030"})
    void shouldTakeSixOrSevenFieldsForQuartz(String expression) {
        assertThat(CronExpressions.detect(expression)).isEqualTo(CronSyntax.QUARTZ);
    }
}
