package dev.skiff.jobs;

import com.cronutils.model.time.ExecutionTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Detects a cron expression's dialect and compiles it, caching by expression text: schedulers ask
 * for next fires of the same few expressions over and over, and parsing is the costly part.
 */
final class CronExpressions {

    private static final Pattern AWS_FORM = Pattern.compile("cron\\((.*)\\)", Pattern.DOTALL);
    // A registry holds a bounded number of schedules; the bound only guards against misuse.
    private static final int CACHE_LIMIT = 10_000;
    private static final Map<String, CompiledCron> CACHE = new ConcurrentHashMap<>();

    private CronExpressions() {
    }

    /** The dialect the expression is written in, judged by its form alone. */
    static CronSyntax detect(String expression) {
        String trimmed = expression.strip();
        if (AWS_FORM.matcher(trimmed).matches()) {
            return CronSyntax.AWS;
        }
        return fields(trimmed) >= 6 ? CronSyntax.QUARTZ : CronSyntax.UNIX;
    }

    /**
     * Compiles the expression, or throws IllegalArgumentException whose message is cron-utils'
     * reason, e.g. {@code Value 61 not in range [0, 59]}.
     */
    static CompiledCron compile(String expression) {
        CompiledCron cached = CACHE.get(expression);
        if (cached != null) {
            return cached;
        }
        CompiledCron compiled = parse(expression);
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(expression, compiled);
        return compiled;
    }

    private static CompiledCron parse(String expression) {
        CronSyntax syntax = detect(expression);
        String body = expression.strip();
        if (syntax == CronSyntax.AWS) {
            var m = AWS_FORM.matcher(body);
            m.matches();
            body = m.group(1).strip();
        }
        int fields = fields(body);
        if (syntax == CronSyntax.QUARTZ && fields > 7) {
            throw new IllegalArgumentException("has " + fields + " fields; expected 5 (Unix), 6-7 (Quartz) or cron(...) (AWS)");
        }
        try {
            var cron = CronDefinitions.parser(syntax).parse(body);
            return new CompiledCron(syntax, ExecutionTime.forCron(cron));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(reason(e), e);
        }
    }

    /**
     * How many fields {@code body} holds: runs of characters other than regex {@code \s} (space, tab, line breaks,
     * form feed, vertical tab) after stripping, as {@code body.strip().split("\\s+").length} counted them. Counted
     * without a regex: every schedule's dialect is detected when its spec is mapped, and splitting (which compiles
     * {@code \s+} anew each call) was 3% of the CPU of checking 100,000 specs at a first start.
     */
    static int fields(String body) {
        String stripped = body.strip();
        int fields = 0;
        boolean inField = false;
        for (int i = 0; i < stripped.length(); i++) {
            boolean separator = isRegexSpace(stripped.charAt(i));
            if (!separator && !inField) {
                fields++;
            }
            inField = !separator;
        }
        return fields;
    }

    /** The characters of regex {@code \s} (without UNICODE_CHARACTER_CLASS). */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static String reason(IllegalArgumentException e) {
        String message = e.getMessage() == null ? "unreadable expression" : e.getMessage();
        return message.replaceFirst("^Failed to parse cron expression\\.\\s*", "");
    }
}
