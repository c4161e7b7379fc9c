package dev.skiff.orchestrator.adapter.local;

import java.time.Instant;
import java.util.Optional;

/**
 * A local process as the engine records it: its pid and the operating system's start time for it,
 * written {@code <pid>@<start epoch ms>}. Together they name one process for good: after a restart a
 * live pid whose start time differs belongs to someone else (the pid was reused). The OS start time
 * comes from the same source on both sides, so it is compared as is; the wall clock can sit
 * seconds away from it on a virtual machine.
 */
record LocalTaskId(long pid, Optional<Instant> osStart) {

    static LocalTaskId of(ProcessHandle handle) {
        return new LocalTaskId(handle.pid(), handle.info().startInstant());
    }

    /** @return empty for text that is not a local task id (a task launched by another launcher) */
    static Optional<LocalTaskId> parse(String text) {
        int at = text.indexOf('@');
        try {
            long pid = Long.parseLong(at < 0 ? text : text.substring(0, at));
            Optional<Instant> start = at < 0 ? Optional.empty()
                    : Optional.of(Instant.ofEpochMilli(Long.parseLong(text.substring(at + 1))));
            return Optional.of(new LocalTaskId(pid, start));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    String format() {
        return osStart.map(start -> pid + "@" + start.toEpochMilli()).orElse(Long.toString(pid));
    }
}
