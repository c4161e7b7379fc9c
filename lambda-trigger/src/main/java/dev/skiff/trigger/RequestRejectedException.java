package dev.skiff.trigger;

import java.util.List;

/** A webhook request refused with a 4xx (or 503) and a problem body; the message is written for the caller. */
final class RequestRejectedException extends RuntimeException {

    private final int status;
    private final List<String> problems;

    RequestRejectedException(int status, String detail) {
        this(status, detail, List.of());
    }

    RequestRejectedException(int status, String detail, List<String> problems) {
        super(detail, null, false, false);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    int status() {
        return status;
    }

    List<String> problems() {
        return problems;
    }
}
