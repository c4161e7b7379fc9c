package dev.skiff.orchestrator.app;

import dev.skiff.orchestrator.domain.ForbiddenException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a team may post to {@code POST /events} when API keys are on. Two rules, because a key proves only which
 * team is calling, never where an event came from:
 * <ul>
 * <li>Sources starting with {@code aws.} or {@code skiff.} are refused, as EventBridge's PutEvents refuses
 * {@code aws.*}. Such events (S3 uploads, Skiff's HMAC-checked webhook trigger) come in only through the intake
 * queue, where the event bus's resource policy decides who may put them; over the API any team could forge them,
 * name any bucket and key, or name any job in a webhook event.</li>
 * <li>An event starts only jobs the calling team owns. A team may start its own jobs as {@code POST /jobs/{name}/runs}
 * allows; an event meant for other teams' jobs must come through the bus, like any event between teams.</li>
 * </ul>
 * Events from the intake queue, and every event when authentication is off (the embedded default), start every
 * matching job.
 */
final class TeamEventRules {

    static final List<String> RESERVED_PREFIXES = List.of("aws.", "skiff.");

    private TeamEventRules() {
    }

    /** Refuses the whole request when any event in it has a reserved source: a batch is accepted whole or not at all. */
    static void requireOpenSources(Caller caller, IncomingEvents.Parsed parsed) {
        if (caller.team().isPresent()) {
            requireOpenSources(caller, parsed.events().stream().map(event -> event.get("source").asText()).toList(), parsed.batch());
        }
    }

    /** As above, for the sources of the events, in the request's order. */
    static void requireOpenSources(Caller caller, List<String> sources, boolean batch) {
        if (caller.team().isEmpty()) {
            return;
        }
        var refused = new ArrayList<String>();
        for (int i = 0; i < sources.size(); i++) {
            String source = sources.get(i);
            if (RESERVED_PREFIXES.stream().anyMatch(source::startsWith)) {
                refused.add((batch ? "Entries[" + i + "].Source" : "source") + ": " + source);
            }
        }
        if (!refused.isEmpty()) {
            throw new ForbiddenException(String.join("; ", refused) + ": team " + caller.team().get()
                    + " may not post an event whose source starts with aws. or skiff. through the HTTP API;"
                    + " such events come in only through the intake queue, where the event bus policy decides"
                    + " who may put them (EventBridge's PutEvents refuses aws.* sources the same way)");
        }
    }

    /** Whether an event the caller posted may start a job of {@code owner}. */
    static boolean mayStart(Caller caller, String owner) {
        return caller.team().map(team -> team.equals(owner)).orElse(true);
    }
}
