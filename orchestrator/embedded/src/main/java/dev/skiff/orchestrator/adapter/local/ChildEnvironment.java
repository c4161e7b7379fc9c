package dev.skiff.orchestrator.adapter.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a job's process gets: a few variables from the orchestrator that programs
 * need to behave normally, then exactly the request's variables. Nothing else is inherited,
 * because the orchestrator's own environment may hold credentials.
 */
final class ChildEnvironment {

    static final List<String> BASE_NAMES = List.of("PATH", "HOME", "LANG", "TMPDIR");

    private ChildEnvironment() {
    }

    /** The request's variables win, so a job may set its own PATH. */
    static Map<String, String> of(Map<String, String> orchestratorEnvironment, Map<String, String> requested) {
        var env = new LinkedHashMap<String, String>();
        for (String name : BASE_NAMES) {
            String value = orchestratorEnvironment.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(requested);
        return env;
    }
}
