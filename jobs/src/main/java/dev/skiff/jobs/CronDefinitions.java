package dev.skiff.jobs;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronConstraintsFactory;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/** One cron-utils parser per dialect. Parsers are immutable and shared. */
final class CronDefinitions {

    static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    static final CronParser AWS = new CronParser(aws());

    private CronDefinitions() {
    }

    static CronParser parser(CronSyntax syntax) {
        return switch (syntax) {
            case UNIX -> UNIX;
            case QUARTZ -> QUARTZ;
            case AWS -> AWS;
        };
    }

    /**
     * EventBridge Scheduler's cron(): minute hour day-of-month month day-of-week year, with
     * day-of-week 1 = Sunday (as in Quartz, unlike Unix) and exactly one day field '?'.
     * cron-utils has no preset for it.
     */
    private static CronDefinition aws() {
        return CronDefinitionBuilder.defineCron()
                .withMinutes().withValidRange(0, 59).withStrictRange().and()
                .withHours().withValidRange(0, 23).withStrictRange().and()
                .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW().supportsQuestionMark()
                .withStrictRange().and()
                .withMonth().withValidRange(1, 12).withStrictRange().and()
                .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsHash().supportsL()
                .supportsQuestionMark().withStrictRange().and()
                .withYear().withValidRange(1970, 2199).withStrictRange().and()
                .withCronValidation(CronConstraintsFactory.ensureEitherDayOfWeekOrDayOfMonth())
                .instance();
    }
}
