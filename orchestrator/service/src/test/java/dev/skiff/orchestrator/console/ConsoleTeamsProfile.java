package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.app.TeamAuthorizer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The console with API keys for two teams, {@code analytics} and {@code billing}, each owning one job. */
public class ConsoleTeamsProfile implements QuarkusTestProfile {

    static final String ANALYTICS_KEY = "analytics-console-key-3b8e6f1a0c2d4e5f6a7b8c9d0e1f2a3b";
    static final String BILLING_KEY = "billing-console-key-9f8e7d6c5b4a39281706f5e4d3c2b1a0";

    static String spec(String name, String owner) {
        return """
                name: %s
                owner: %s
                image: example/%s:1
                command: ["sh", "-c", "echo working for %s"]
                triggers:
                  schedules:
                    - cron: "0 6 * * *"
                """.formatted(name, owner, name, owner);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("skiff.auth.mode", "api-keys",
                "skiff.auth.api-keys.\"" + TeamAuthorizer.sha256Hex(ANALYTICS_KEY) + "\"", "analytics",
                "skiff.auth.api-keys.\"" + TeamAuthorizer.sha256Hex(BILLING_KEY) + "\"", "billing");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Directories.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    /** One job of each team. */
    public static class Directories extends JobDirectory {

        @Override
        Map<String, String> specs() {
            return Map.of("analytics-etl", spec("analytics-etl", "analytics"), "invoices", spec("invoices", "billing"));
        }
    }
}
