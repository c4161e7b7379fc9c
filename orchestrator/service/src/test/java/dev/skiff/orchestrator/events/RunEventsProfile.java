package dev.skiff.orchestrator.events;

import dev.skiff.orchestrator.api.BadInputProfile;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The embedded service with an empty job directory of its own: the run-event tests put the jobs they chain. */
public class RunEventsProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(BadInputProfile.Directories.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
