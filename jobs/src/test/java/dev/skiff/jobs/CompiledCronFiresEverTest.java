package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Whether an expression ever fires is decided once for all the specs that share it. */
class CompiledCronFiresEverTest {

    @Test
    void shouldTellAnExpressionThatNeverFiresFromOneThatDoes() {
        assertThat(CronExpressions.compile("0 2 30 2 *").firesEver()).isFalse();
        assertThat(CronExpressions.compile("0 4 * * *").firesEver()).isTrue();
        assertThat(CronExpressions.compile("0 0 12 29 2 ?").firesEver()).isTrue();
    }

    @Test
    void shouldGiveTheSameAnswerWhenAskedAgainOfTheSharedCompiledExpression() {
        CompiledCron never = CronExpressions.compile("0 2 31 4 *");

        assertThat(never.firesEver()).isFalse();
        assertThat(CronExpressions.compile("0 2 31 4 *")).isSameAs(never);
        assertThat(never.firesEver()).isFalse();
    }
}
