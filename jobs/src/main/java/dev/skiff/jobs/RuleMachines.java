package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.event.ruler.GenericMachine;

/**
 * The event-ruler machines holding the router's rules, kept so that deleting a rule never stops another from matching.
 *
 * <p>event-ruler 2.1.0's {@code deleteRule} can strand a surviving rule: where a field has a wildcard or
 * equals-ignore-case pattern, byte paths over that field are not shared as exact ones are, so two rules with the same
 * value on it (identical patterns, or one branch of an {@code $or}) reach different ends, and deleting one tears down
 * what the other still needs (upstream aws/event-ruler#255 and #259 fixed cases of this defect class, not this one).
 * A machine without such patterns deletes exactly, so rules are split in two: the plain machine, where rules are
 * deleted one by one, and the fuzzy machine, holding every rule with a wildcard or equals-ignore-case matcher, where
 * nothing is ever deleted. A deleted fuzzy rule stays until the fuzzy machine is rebuilt from its live rules, which
 * happens once deleted ones outnumber live ones: each deletion costs one rule's compile, amortized, and the plain
 * rules (most of them) are never recompiled. Matches of a deleted rule that still linger are for the caller to drop.
 *
 * <p>Identical patterns are compiled once: a machine's rule is a pattern's {@link Group}, which names every rule added
 * with that text, so that the jobs listening for the same events (often most of a large catalog: 30,000 event triggers
 * on 97 patterns in the scale benchmark) cost one compile, and one match, between them. A group's compiled rule is
 * deleted when its last rule is.
 *
 * <p>Like a bare machine: any number of threads may match while one thread at a time adds or deletes.
 *
 * @param <T> how a rule is named
 */
final class RuleMachines<T> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The rules added with one pattern text: one rule of a machine. Matching threads read its members while the writer
     * adds and deletes them; a match that reads them mid-change may name a rule just added or miss one just deleted,
     * as a bare machine's match racing {@code addRule} or {@code deleteRule} would. Equal only to itself, so that a
     * pattern deleted and added again is a new rule of the machine.
     */
    private static final class Group<T> {

        final String pattern;
        final boolean fuzzy;
        final Set<T> members = ConcurrentHashMap.newKeySet(1);

        Group(String pattern, boolean fuzzy) {
            this.pattern = pattern;
            this.fuzzy = fuzzy;
        }
    }

    private final GenericMachine<Group<T>> plain = new GenericMachine<>();
    /** Replaced whole when rebuilt; a match in progress keeps the one it read. */
    private volatile GenericMachine<Group<T>> fuzzy = new GenericMachine<>();
    /** The group of each pattern text that has rules; only the writer reads it. */
    private final Map<String, Group<T>> groups = new HashMap<>();
    /** Fuzzy groups deleted (their last rule went) but still in the fuzzy machine, until it is rebuilt. */
    private int deletedFuzzy;
    private int liveFuzzy;

    /**
     * @throws IOException      as event-ruler's {@code addRule}: the pattern does not compile
     * @throws RuntimeException as event-ruler's {@code addRule}
     */
    void add(T rule, String pattern) throws IOException {
        Group<T> group = groups.get(pattern);
        if (group == null) {
            group = new Group<>(pattern, isFuzzy(pattern));
            if (group.fuzzy) {
                fuzzy.addRule(group, pattern);
                liveFuzzy++;
            } else {
                plain.addRule(group, pattern);
            }
            groups.put(pattern, group);
        }
        group.members.add(rule);
    }

    /**
     * Deletes these rules, each given with the pattern it was added with. A caller that may still match with the rules
     * must wait until no match that began before it stopped needing them: the fuzzy machine may be rebuilt here.
     */
    void delete(Map<T, String> rules) {
        rules.forEach((rule, pattern) -> {
            Group<T> group = groups.get(pattern);
            if (group == null || !group.members.remove(rule) || !group.members.isEmpty()) {
                return;
            }
            groups.remove(pattern);
            if (group.fuzzy) {
                liveFuzzy--;
                deletedFuzzy++;
            } else {
                deletePlain(group);
            }
        });
        if (deletedFuzzy > liveFuzzy) {
            fuzzy = rebuiltFuzzy();
            deletedFuzzy = 0;
        }
    }

    /** The rules the event's text matches; event-ruler's exceptions (the text is not a JSON object) pass through. */
    List<T> rulesForJSONEvent(String eventText) throws Exception {
        GenericMachine<Group<T>> fuzzyNow = fuzzy;
        List<Group<T>> matched = plain.rulesForJSONEvent(eventText);
        return members(matched, fuzzyNow.isEmpty() ? List.of() : fuzzyNow.rulesForJSONEvent(eventText));
    }

    /** The rules the parsed event matches. */
    List<T> rulesForJSONEvent(JsonNode event) {
        GenericMachine<Group<T>> fuzzyNow = fuzzy;
        List<Group<T>> matched = plain.rulesForJSONEvent(event);
        return members(matched, fuzzyNow.isEmpty() ? List.of() : fuzzyNow.rulesForJSONEvent(event));
    }

    /** How many rules the machines compiled and still hold, lingering fuzzy ones included (for tests). */
    int compiledRules() {
        return groups.size() + deletedFuzzy;
    }

    /** How many fuzzy rules were deleted but are still in the fuzzy machine (for tests). */
    int lingeringFuzzyRules() {
        return deletedFuzzy;
    }

    private void deletePlain(Group<T> group) {
        try {
            plain.deleteRule(group, group.pattern);
        } catch (IOException e) {
            // It compiled when it was added, so it parses now.
            throw new IllegalStateException("cannot delete the rule of pattern " + group.pattern, e);
        }
    }

    private GenericMachine<Group<T>> rebuiltFuzzy() {
        var machine = new GenericMachine<Group<T>>();
        for (Group<T> group : groups.values()) {
            if (!group.fuzzy) {
                continue;
            }
            try {
                machine.addRule(group, group.pattern);
            } catch (IOException e) {
                // It compiled when it was added, so it compiles again.
                throw new IllegalStateException("cannot compile the rule of pattern " + group.pattern + " again", e);
            }
        }
        return machine;
    }

    /** The rules of the matched groups; a group the fuzzy machine still holds after its last rule went has none. */
    private static <T> List<T> members(List<Group<T>> first, List<Group<T>> second) {
        if (first.isEmpty() && second.isEmpty()) {
            return List.of();
        }
        var all = new ArrayList<T>();
        for (Group<T> group : first) {
            all.addAll(group.members);
        }
        for (Group<T> group : second) {
            all.addAll(group.members);
        }
        return all;
    }

    /**
     * Whether the pattern has a wildcard or equals-ignore-case matcher (also inside prefix, suffix or anything-but):
     * conservatively, any object key of that name. Text that is not JSON counts too, so that event-ruler's own error
     * tells what is wrong with it.
     */
    static boolean isFuzzy(String pattern) {
        try {
            return hasFuzzyKey(JSON.readTree(pattern));
        } catch (JsonProcessingException e) {
            return true;
        }
    }

    private static boolean hasFuzzyKey(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isObject() && (node.has("wildcard") || node.has("equals-ignore-case"))) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasFuzzyKey(child)) {
                return true;
            }
        }
        return false;
    }
}
