package dev.skiff.jobs;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a notification goes, as a spec writes it: a webhook URL, an SNS topic ARN, or {@code log}.
 *
 * @param target the URL or the ARN; empty text for the log
 */
public record NotifyChannel(Kind kind, String target) {

    public enum Kind { WEBHOOK, SNS, LOG }

    public static final String LOG = "log";

    /** An SNS topic ARN in any partition: arn:aws:sns:us-east-1:123456789012:alerts. */
    private static final Pattern SNS_ARN =
            Pattern.compile("^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$");

    /** The channel the text names, or why it names none (the rule a spec author can act on). */
    public static Parsed parse(String text) {
        if (LOG.equals(text)) {
            return new Parsed(Optional.of(new NotifyChannel(Kind.LOG, "")), "");
        }
        if (text.startsWith("arn:")) {
            return SNS_ARN.matcher(text).matches()
                    ? new Parsed(Optional.of(new NotifyChannel(Kind.SNS, text)), "")
                    : new Parsed(Optional.empty(), "must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)");
        }
        // Read by hand, not with java.net.URI: this module stays free of I/O packages (DependencyRulesTest).
        String lower = text.toLowerCase(Locale.ROOT);
        String rest = lower.startsWith("https://") ? text.substring(8) : lower.startsWith("http://") ? text.substring(7) : null;
        if (rest == null || text.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return new Parsed(Optional.empty(), NAMES_NOTHING);
        }
        int end = 0;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(0, end);
        if (authority.contains("@")) {
            // A password in the URL would be shown by GET /jobs and written to logs with the URL.
            return new Parsed(Optional.empty(), "must not hold a user or password (they would show wherever the"
                    + " spec or the URL is shown); put the credential in the receiving service's URL path instead");
        }
        if (!HOST_AND_PORT.matcher(authority).matches()) {
            return new Parsed(Optional.empty(), NAMES_NOTHING);
        }
        if (rest.indexOf('#') >= 0) {
            return new Parsed(Optional.empty(), "must not have a #fragment");
        }
        return new Parsed(Optional.of(new NotifyChannel(Kind.WEBHOOK, text)), "");
    }

    /** A DNS name, IPv4 address or bracketed IPv6 address, and an optional port. */
    private static final Pattern HOST_AND_PORT =
            Pattern.compile("^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+])(:\\d{1,5})?$");

    private static final String NAMES_NOTHING =
            "must be a webhook URL (https://...), an SNS topic ARN (arn:aws:sns:...) or log";

    /** A parse's result: the channel, or the problem. */
    public record Parsed(Optional<NotifyChannel> channel, String problem) {
    }

    /**
     * What a log line or the API may show of it: a webhook's scheme and host only. Its path and query may carry a token
     * (a Slack incoming-webhook URL is its own secret, in the path).
     */
    public String shown() {
        if (kind != Kind.WEBHOOK) {
            return kind == Kind.LOG ? LOG : target;
        }
        int hostStart = target.indexOf("://") + 3;
        int end = hostStart;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
            end++;
        }
        return end == target.length() ? target : target.substring(0, end) + "/…";
    }
}
