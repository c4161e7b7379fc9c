package dev.skiff.jobs;

import com.cronutils.model.Cron;
import com.cronutils.model.field.CronField;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.field.expression.And;
import com.cronutils.model.field.expression.Between;
import com.cronutils.model.field.expression.Every;
import com.cronutils.model.field.expression.FieldExpression;
import com.cronutils.model.field.expression.On;
import com.cronutils.model.field.expression.QuestionMark;
import com.cronutils.model.field.value.FieldValue;
import com.cronutils.model.field.value.IntegerFieldValue;
import com.cronutils.model.field.value.SpecialChar;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The next fire of an expression that fires on the same seconds of every day ({@code 15 * * * * ?},
 * {@code 0/10 8-18 * * *}, {@code cron(5/10 * * * ? *)}): its second, minute and hour fields as bit sets, the day
 * fields unrestricted. Such schedules are the ones that fire often, and cron-utils' search costs tens of
 * microseconds and a few dozen objects per fire, and hundreds of methods for the JIT to compile; this is a
 * few bit scans. Anything else (a day, month, weekday or year restricted; L, W, #) is left to cron-utils,
 * and so is a fire after 2099, where the Quartz and AWS year fields end.
 */
final class SubDailyCron {

    /** The last year every dialect's year field reaches (Quartz's 2099; AWS goes to 2199, Unix has none). */
    private static final int LAST_YEAR = 2099;

    private final long seconds;
    private final long minutes;
    private final long hours;

    private SubDailyCron(long seconds, long minutes, long hours) {
        this.seconds = seconds;
        this.minutes = minutes;
        this.hours = hours;
    }

    /** The expression as bit sets, or empty when it restricts the days or uses anything but numbers, ranges, steps and lists. */
    static Optional<SubDailyCron> of(Cron cron) {
        var fields = cron.retrieveFieldsAsMap();
        for (CronFieldName day : new CronFieldName[]{CronFieldName.DAY_OF_MONTH, CronFieldName.MONTH,
                CronFieldName.DAY_OF_WEEK, CronFieldName.YEAR, CronFieldName.DAY_OF_YEAR}) {
            CronField field = fields.get(day);
            if (field != null && !(field.getExpression() instanceof Always || field.getExpression() instanceof QuestionMark)) {
                return Optional.empty();
            }
        }
        CronField second = fields.get(CronFieldName.SECOND);
        long s = second == null ? 1L : bits(second.getExpression(), 0, 59);
        long m = bits(fields.get(CronFieldName.MINUTE).getExpression(), 0, 59);
        long h = bits(fields.get(CronFieldName.HOUR).getExpression(), 0, 23);
        return s == 0 || m == 0 || h == 0 ? Optional.empty() : Optional.of(new SubDailyCron(s, m, h));
    }

    /** The first fire strictly after {@code wall}, on wall-clock time; empty when past {@link #LAST_YEAR} (ask cron-utils). */
    Optional<LocalDateTime> next(LocalDateTime wall) {
        LocalDateTime from = wall.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        LocalDate day = from.toLocalDate();
        int h0 = from.getHour();
        int m0 = from.getMinute();
        int s0 = from.getSecond();
        for (int h = nextBit(hours, h0); h >= 0; h = nextBit(hours, h + 1)) {
            for (int m = nextBit(minutes, h == h0 ? m0 : 0); m >= 0; m = nextBit(minutes, m + 1)) {
                int s = nextBit(seconds, h == h0 && m == m0 ? s0 : 0);
                if (s >= 0) {
                    return within(day.atTime(h, m, s));
                }
            }
        }
        return within(day.plusDays(1).atTime(nextBit(hours, 0), nextBit(minutes, 0), nextBit(seconds, 0)));
    }

    private static Optional<LocalDateTime> within(LocalDateTime fire) {
        return fire.getYear() > LAST_YEAR ? Optional.empty() : Optional.of(fire);
    }

    /** The lowest set bit at or above {@code from}, or -1. */
    private static int nextBit(long bits, int from) {
        if (from > 63) {
            return -1;
        }
        long above = bits & (-1L << from);
        return above == 0 ? -1 : Long.numberOfTrailingZeros(above);
    }

    /** The values a field names, as bits; 0 when it uses anything this class does not read. */
    private static long bits(FieldExpression expression, int min, int max) {
        if (expression instanceof Every every) {
            Integer step = every.getPeriod() == null ? null : every.getPeriod().getValue();
            return step == null || step < 1 ? 0 : stepped(every.getExpression(), step, true, min, max);
        }
        if (expression instanceof And and) {
            long all = 0;
            for (FieldExpression part : and.getExpressions()) {
                long one = bits(part, min, max);
                if (one == 0) {
                    return 0;
                }
                all |= one;
            }
            return all;
        }
        return stepped(expression, 1, false, min, max);
    }

    /** *, n or a-b, every {@code step}; n alone is n up to the maximum when it starts a step (5/10). */
    private static long stepped(FieldExpression start, int step, boolean every, int min, int max) {
        if (start instanceof Always) {
            return range(min, max, step);
        }
        if (start instanceof On on) {
            Integer value = plain(on);
            return value == null || value < min || value > max ? 0 : range(value, every ? max : value, step);
        }
        if (start instanceof Between between) {
            Integer from = integer(between.getFrom());
            Integer to = integer(between.getTo());
            return from == null || to == null || from < min || to > max || from > to ? 0 : range(from, to, step);
        }
        return 0;
    }

    private static Integer plain(On on) {
        boolean special = on.getSpecialChar() != null && on.getSpecialChar().getValue() != SpecialChar.NONE;
        return special || on.getTime() == null ? null : on.getTime().getValue();
    }

    private static Integer integer(FieldValue<?> value) {
        return value instanceof IntegerFieldValue number ? number.getValue() : null;
    }

    private static long range(int from, int to, int step) {
        long bits = 0;
        for (int v = from; v <= to; v += step) {
            bits |= 1L << v;
        }
        return bits;
    }
}
