package dev.skiff.trigger;

import java.io.PrintStream;

/**
 * One line per outcome, prefixed with the request id, on standard output (which Lambda sends to
 * CloudWatch Logs). Callers pass ids, job names, counts and reasons: never a secret, a signature
 * or a request body.
 */
public final class TriggerLog {

    private final PrintStream out;

    public TriggerLog(PrintStream out) {
        this.out = out;
    }

    public static TriggerLog stdout() {
        return new TriggerLog(System.out);
    }

    void info(String requestId, String message) {
        out.println("requestId=" + requestId + " " + message);
    }
}
