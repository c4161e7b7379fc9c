package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Like a bare machine: any number of threads may match while one thread at a time adds or deletes.
 *
 * @param <T> how a rule is named
 */
final class RuleMachines<T> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GenericMachine<T> plain = new GenericMachine<>();
    /** Replaced whole when rebuilt; a match in progress keeps the one it read. */
    private volatile GenericMachine<T> fuzzy = new GenericMachine<>();
    /** The fuzzy rules not deleted, to rebuild from. */
    private final Map<T, String> liveFuzzy = new HashMap<>();
    private int deletedFuzzy;

    /**
     * @throws IOException      as event-ruler's {@code addRule}: the pattern does not compile
     * @throws RuntimeException as event-ruler's {@code addRule}
     */
    void add(T rule, String pattern) throws IOException {
        if (isFuzzy(pattern)) {
            fuzzy.addRule(rule, pattern);
            liveFuzzy.put(rule, pattern);
        } else {
            plain.addRule(rule, pattern);
        }
    }

    /**
     * Deletes these rules, each given with the pattern it was added with. A caller that may still match with the rules
     * must wait until no match that began before it stopped needing them: the fuzzy machine may be rebuilt here.
     */
    void delete(Map<T, String> rules) {
        rules.forEach((rule, pattern) -> {
            if (liveFuzzy.remove(rule) != null) {
                deletedFuzzy++;
            } else {
                deletePlain(rule, pattern);
            }
        });
        if (deletedFuzzy > liveFuzzy.size()) {
            fuzzy = rebuiltFuzzy();
            deletedFuzzy = 0;
        }
    }

    /** The rules the event's text matches; event-ruler's exceptions (the text is not a JSON object) pass through. */
    List<T> rulesForJSONEvent(String eventText) throws Exception {
        GenericMachine<T> fuzzyNow = fuzzy;
        List<T> matched = plain.rulesForJSONEvent(eventText);
        return fuzzyNow.isEmpty() ? matched : union(matched, fuzzyNow.rulesForJSONEvent(eventText));
    }

    /** The rules the parsed event matches. */
    List<T> rulesForJSONEvent(JsonNode event) {
        GenericMachine<T> fuzzyNow = fuzzy;
        List<T> matched = plain.rulesForJSONEvent(event);
        return fuzzyNow.isEmpty() ? matched : union(matched, fuzzyNow.rulesForJSONEvent(event));
    }

    /** How many fuzzy rules were deleted but are still in the fuzzy machine (for tests). */
    int lingeringFuzzyRules() {
        return deletedFuzzy;
    }

    private void deletePlain(T rule, String pattern) {
        try {
            plain.deleteRule(rule, pattern);
        } catch (IOException e) {
            // It compiled when it was added, so it parses now.
            throw new IllegalStateException("cannot delete rule " + rule, e);
        }
    }

    private GenericMachine<T> rebuiltFuzzy() {
        var machine = new GenericMachine<T>();
        liveFuzzy.forEach((rule, pattern) -> {
            try {
                machine.addRule(rule, pattern);
            } catch (IOException e) {
                // It compiled when it was added, so it compiles again.
                throw new IllegalStateException("cannot compile rule " + rule + " again", e);
            }
        });
        return machine;
    }

    private static <T> List<T> union(List<T> first, List<T> second) {
        if (second.isEmpty()) {
            return first;
        }
        if (first.isEmpty()) {
            return second;
        }
        var all = new ArrayList<T>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
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
