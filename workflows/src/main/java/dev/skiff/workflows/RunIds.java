package dev.skiff.workflows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Run ids: deterministic for cron, event and keyed API starts, so that starting the same run twice
 * (two replicas firing the same 02:00, an event delivered twice) starts one run in both engines.
 * Every id is {@code <job>-<kind>-<suffix>}, at most 80 characters of letters, digits, '-' and '_',
 * which Step Functions accepts as an execution name.
 */
public final class RunIds {

    /** Step Functions' execution-name limit. */
    public static final int MAX_LENGTH = 80;

    private static final int HASH_HEX_CHARS = 20;
    private static final Pattern JOB_NAME = Pattern.compile("[a-z0-9-]{1,48}");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");
    private static final Pattern CRON_SUFFIX = Pattern.compile("\\d{8}T\\d{6}");
    private static final Pattern HASH_SUFFIX = Pattern.compile("[0-9a-f]{" + HASH_HEX_CHARS + "}");
    private static final Pattern ULID_SUFFIX = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");
    private static final DateTimeFormatter FIRE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private RunIds() {
    }

    /** {@code <job>-c-<fire time in UTC, yyyyMMdd'T'HHmmss>}; sub-second parts of the fire time are dropped. */
    public static String cron(String job, Instant fireTime) {
        return id(job, 'c', fireTime(fireTime));
    }

    /**
     * {@link #FIRE_TIME} by hand for the years 1000 to 9999 (every year a cron expression reaches): each cron fire
     * names its run, and the formatter costs more than the rest of the id.
     */
    private static String fireTime(Instant at) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            return FIRE_TIME.format(at);
        }
        char[] text = new char[15];
        digits(text, 0, t.getYear(), 4);
        digits(text, 4, t.getMonthValue(), 2);
        digits(text, 6, t.getDayOfMonth(), 2);
        text[8] = 'T';
        digits(text, 9, t.getHour(), 2);
        digits(text, 11, t.getMinute(), 2);
        digits(text, 13, t.getSecond(), 2);
        return new String(text);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * {@code <job>-e-<first 20 hex of sha256(source "\n" id)>}, over UTF-8 bytes. The newline keeps
     * ("ab", "c") and ("a", "bc") apart; neither EventBridge sources nor event ids contain one.
     */
    public static String event(String job, String eventSource, String eventId) {
        return forEvent(eventSource, eventId).of(job);
    }

    /**
     * The run ids one event gives: the hash is the same for every job the event starts, so an intake starting several
     * jobs from one event hashes once.
     */
    public static EventRuns forEvent(String eventSource, String eventId) {
        return new EventRuns(sha256Prefix(eventSource + "\n" + eventId));
    }

    /** The run ids of one event, {@link #event} for each job. */
    public static final class EventRuns {

        private final String hash;

        private EventRuns(String hash) {
            this.hash = hash;
        }

        /** {@link RunIds#event} of this event for {@code job}. */
        public String of(String job) {
            return id(job, 'e', hash);
        }
    }

    /** {@code <job>-k-<first 20 hex of sha256(key)>}, over the key's UTF-8 bytes. */
    public static String idempotencyKey(String job, String key) {
        return id(job, 'k', sha256Prefix(key));
    }

    /** {@code <job>-m-<ULID>}: unique, and sorted by start time within a job. */
    public static String manual(String job, Instant now, RandomGenerator random) {
        return id(job, 'm', Ulid.encode(now.toEpochMilli(), random));
    }

    /**
     * The job a run id belongs to.
     *
     * @throws IllegalArgumentException when the text is not a run id this class makes
     */
    public static String jobOf(String runId) {
        int lastDash = runId.lastIndexOf('-');
        if (!isValid(runId) || lastDash < 3 || runId.charAt(lastDash - 2) != '-') {
            throw notARunId(runId);
        }
        String job = runId.substring(0, lastDash - 2);
        String suffix = runId.substring(lastDash + 1);
        Pattern expected = switch (runId.charAt(lastDash - 1)) {
            case 'c' -> CRON_SUFFIX;
            case 'e', 'k' -> HASH_SUFFIX;
            case 'm' -> ULID_SUFFIX;
            default -> null;
        };
        if (expected == null || !expected.matcher(suffix).matches() || !JOB_NAME.matcher(job).matches()) {
            throw notARunId(runId);
        }
        return job;
    }

    /** The trigger a run id names (DESIGN.md "Run ids"): {@code -c-} cron, {@code -e-} event, {@code -k-}/{@code -m-} api. */
    public static String triggerOf(String runId) {
        int lastDash = runId.lastIndexOf('-');
        if (lastDash < 2 || runId.charAt(lastDash - 2) != '-') {
            return "unknown";
        }
        return switch (runId.charAt(lastDash - 1)) {
            case 'c' -> "cron";
            case 'e' -> "event";
            case 'k', 'm' -> "api";
            default -> "unknown";
        };
    }

    /** At most 80 characters of letters, digits, '-' and '_': safe as a Step Functions execution name. */
    public static boolean isValid(String runId) {
        return runId != null && RUN_ID.matcher(runId).matches();
    }

    private static String id(String job, char kind, String suffix) {
        if (!isJobName(job)) {
            throw new IllegalArgumentException(
                    "job name must be 1-48 characters of lowercase letters, digits and '-', got " + job);
        }
        return job + '-' + kind + '-' + suffix;
    }

    /** {@link #JOB_NAME}, without a regex: every event and cron start checks it, once per run. */
    private static boolean isJobName(String job) {
        if (job == null || job.isEmpty() || job.length() > 48) {
            return false;
        }
        for (int i = 0; i < job.length(); i++) {
            char c = job.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String sha256Prefix(String text) {
        MessageDigest sha256 = SHA_256.get();
        byte[] digest = sha256.digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, HASH_HEX_CHARS / 2);
    }

    /** One digest per thread: looking SHA-256 up among the security providers costs more than hashing an event id. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256, so this means a broken runtime.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    private static IllegalArgumentException notARunId(String runId) {
        return new IllegalArgumentException("not a Skiff run id (<job>-<c|e|k|m>-<suffix>): " + runId);
    }
}
